// What entering a stage sets on an item, what the engine needs to know of an
// item's past, and the steps themselves, shared by every handler (and tool)
// that moves items.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "api/app.h"
#include "api/handlers/common.h"
#include "api/http_types.h"
#include "engine/flow.h"
#include "engine/result.h"
#include "engine/transition.h"
#include "storage/records.h"
#include "storage/sqlite.h"

namespace jingsai::api {

// Sets the item's due time for its (new) current stage, and at a
// multi-approver stage assigns the approvers: whoever holds the stage's role
// at the organization its scope resolves to, except the item's creator.
// Whoever acted at a stage it is kept apart from (separate_from) is no
// approver either; `acting` is the step moving the item now, whose history
// row is not written yet.
struct ActingStep {
  std::string_view from_stage;
  int64_t user_id = 0;
};
engine::Status EnterStage(App& app, storage::Database& db, storage::ItemRecord& item,
                          const engine::FlowDefinition& flow, engine::TimePoint now,
                          std::optional<ActingStep> acting = std::nullopt);

// Who acted at which stage of the item so far (from its history), for
// separation of duties.
engine::Result<std::map<std::string, std::set<int64_t>>> ActedByStage(storage::Database& db,
                                                                      int64_t item_id);

// Stores a new item at its flow's start stage with its first history row,
// and answers 201 with the item and its Location under `collection`
// (e.g. "/api/v1/submissions").
engine::Result<Response> InsertNewItem(App& app, storage::Database& db, storage::ItemRecord item,
                                       const engine::FlowDefinition& flow,
                                       const engine::Actor& actor, std::string_view collection);

// Loads the item, applies the command through the engine, and writes the
// item and its history row (and what the step implies: a snapshot on return,
// progress totals on approval), inside the caller's write transaction.
engine::Result<Response> ApplyAction(App& app, storage::Database& db, int64_t id,
                                     std::string_view kind, const engine::Command& command,
                                     const engine::Actor& actor, const IfMatch& expected_version);

// Records an evidence change as a step of the item: a new version and a
// history row; the writer keeps the item as written.
engine::Status RecordEvidenceStep(App& app, storage::Database& db, storage::ItemRecord& item,
                                  const engine::Actor& actor, const std::string& action,
                                  const std::string& what);

}  // namespace jingsai::api
