#include "storage/catalog.h"

#include <boost/json/parse.hpp>

#include "storage/definitions.h"
#include "storage/orgs.h"

namespace jingsai::storage {

engine::Status Catalog::Load(Database& db) {
  engine::Result<engine::OrgTree> orgs = LoadOrgs(db);
  if (!orgs.ok()) return std::move(orgs).error();
  engine::Result<std::vector<StoredFlow>> flows = LoadFlows(db);
  if (!flows.ok()) return std::move(flows).error();
  engine::Result<std::vector<StoredCampaign>> campaigns = LoadCampaigns(db);
  if (!campaigns.ok()) return std::move(campaigns).error();

  std::map<std::string, std::vector<FlowPtr>, std::less<>> loaded_flows;
  for (const StoredFlow& stored : flows.value()) {
    boost::system::error_code ec;
    boost::json::value json = boost::json::parse(stored.definition, ec);
    engine::Result<engine::FlowDefinition> flow = engine::ParseFlow(json);
    if (ec || !flow.ok()) {
      return engine::Error::Internal("stored flow " + stored.key + " v" +
                                     std::to_string(stored.version) + " does not parse");
    }
    flow.value().version = stored.version;
    loaded_flows[stored.key].push_back(
        std::make_shared<const engine::FlowDefinition>(std::move(flow).value()));
  }
  std::map<std::string, CampaignPtr, std::less<>> loaded_campaigns;
  for (const StoredCampaign& stored : campaigns.value()) {
    boost::system::error_code ec;
    boost::json::value json = boost::json::parse(stored.definition, ec);
    engine::Result<engine::Campaign> campaign = engine::ParseCampaign(json);
    if (ec || !campaign.ok()) {
      return engine::Error::Internal("stored campaign " + stored.key + " does not parse");
    }
    loaded_campaigns[stored.key] =
        std::make_shared<const engine::Campaign>(std::move(campaign).value());
  }

  std::lock_guard lock(mutex_);
  orgs_ = std::make_shared<const engine::OrgTree>(std::move(orgs).value());
  flows_ = std::move(loaded_flows);
  campaigns_ = std::move(loaded_campaigns);
  generation_.fetch_add(1, std::memory_order_release);
  return engine::Ok{};
}

std::shared_ptr<const engine::OrgTree> Catalog::orgs() const {
  std::lock_guard lock(mutex_);
  return orgs_;
}

void Catalog::AddOrg(engine::Org org) {
  std::lock_guard lock(mutex_);
  auto updated = std::make_shared<engine::OrgTree>(*orgs_);
  updated->Add(std::move(org));
  orgs_ = std::move(updated);
  generation_.fetch_add(1, std::memory_order_release);
}

FlowPtr Catalog::Flow(std::string_view key, int version) const {
  std::lock_guard lock(mutex_);
  auto it = flows_.find(key);
  if (it == flows_.end()) return nullptr;
  for (const FlowPtr& flow : it->second) {
    if (flow->version == version) return flow;
  }
  return nullptr;
}

FlowPtr Catalog::LatestFlow(std::string_view key) const {
  std::lock_guard lock(mutex_);
  auto it = flows_.find(key);
  if (it == flows_.end() || it->second.empty()) return nullptr;
  return it->second.back();
}

std::vector<FlowPtr> Catalog::LatestFlows() const {
  std::lock_guard lock(mutex_);
  std::vector<FlowPtr> latest;
  for (const auto& [key, versions] : flows_) {
    if (!versions.empty()) latest.push_back(versions.back());
  }
  return latest;
}

std::vector<FlowPtr> Catalog::AllFlows() const {
  std::lock_guard lock(mutex_);
  std::vector<FlowPtr> all;
  for (const auto& [key, versions] : flows_)
    all.insert(all.end(), versions.begin(), versions.end());
  return all;
}

std::vector<FlowPtr> Catalog::Versions(std::string_view key) const {
  std::lock_guard lock(mutex_);
  auto it = flows_.find(key);
  return it == flows_.end() ? std::vector<FlowPtr>{} : it->second;
}

void Catalog::AddFlow(FlowPtr flow) {
  std::lock_guard lock(mutex_);
  std::vector<FlowPtr>& versions = flows_[flow->key];
  versions.push_back(std::move(flow));
  std::sort(versions.begin(), versions.end(),
            [](const FlowPtr& a, const FlowPtr& b) { return a->version < b->version; });
  generation_.fetch_add(1, std::memory_order_release);
}

CampaignPtr Catalog::Campaign(std::string_view key) const {
  std::lock_guard lock(mutex_);
  auto it = campaigns_.find(key);
  return it == campaigns_.end() ? nullptr : it->second;
}

std::vector<CampaignPtr> Catalog::Campaigns() const {
  std::lock_guard lock(mutex_);
  std::vector<CampaignPtr> all;
  for (const auto& [key, campaign] : campaigns_) all.push_back(campaign);
  return all;
}

}  // namespace jingsai::storage
