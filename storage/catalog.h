// Catalog: the in-memory view of what changes rarely and is read on every
// request: the organization tree, flow definitions (every version) and
// campaigns. Loaded once from the database, then updated by the code that
// commits a change, after its commit.
//
// Thread-safety: every method may be called from any thread. Readers get
// shared_ptrs to immutable values; an update replaces a value whole.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/flow.h"
#include "engine/org_tree.h"
#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

using FlowPtr = std::shared_ptr<const engine::FlowDefinition>;
using CampaignPtr = std::shared_ptr<const engine::Campaign>;

class Catalog {
 public:
  // Replaces everything with what `db` holds.
  engine::Status Load(Database& db);

  std::shared_ptr<const engine::OrgTree> orgs() const;
  void AddOrg(engine::Org org);

  FlowPtr Flow(std::string_view key, int version) const;
  FlowPtr LatestFlow(std::string_view key) const;
  std::vector<FlowPtr> LatestFlows() const;
  std::vector<FlowPtr> AllFlows() const;
  std::vector<FlowPtr> Versions(std::string_view key) const;
  void AddFlow(FlowPtr flow);

  CampaignPtr Campaign(std::string_view key) const;
  std::vector<CampaignPtr> Campaigns() const;

  // Raised by every change, after it: what a caller made from the catalog
  // after reading generation g is still true while generation() is g.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const engine::OrgTree> orgs_;                     // GUARDED_BY(mutex_)
  std::map<std::string, std::vector<FlowPtr>, std::less<>> flows_;  // GUARDED_BY(mutex_)
  std::map<std::string, CampaignPtr, std::less<>> campaigns_;       // GUARDED_BY(mutex_)
  std::atomic<uint64_t> generation_{0};                             // raised with mutex_ held
};

}  // namespace jingsai::storage
