// Row types of the repositories: what storage reads and writes, as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/actor.h"
#include "engine/transition.h"

namespace jingsai::storage {

inline constexpr std::string_view kKindSubmission = "submission";
inline constexpr std::string_view kKindNomination = "nomination";

struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  std::string created_at;
  std::vector<engine::RoleBinding> roles;
};

// An item (report or nomination) with everything storage keeps about it.
struct ItemRecord {
  engine::Instance instance;  // id, org, creator, stage, status, version, late, data
  std::string kind;           // kKindSubmission | kKindNomination
  std::string campaign;
  std::string flow_key;
  int flow_version = 0;
  std::string title;
  std::string last_action;
  std::string created_at;
  std::string updated_at;
  std::string stage_entered_at;
  std::string org_path;
  int64_t county_scope_id = 0;
  int64_t history_seq = 0;
  std::string history_head;
  // Where the item's newest history row and its latest snapshot are (their
  // rowids, 0 when there is none): an item's rows are linked from here.
  int64_t history_row = 0;
  int64_t snapshot_row = 0;
  std::string due_at;  // empty when the current stage has no due time
  bool operator==(const ItemRecord&) const = default;
};

struct HistoryRecord {
  int64_t item_id = 0;
  int64_t seq = 0;
  std::string at;
  std::optional<int64_t> actor_id;
  std::string actor;  // username at the time of the step
  std::string action;
  std::string from;
  std::string to;
  std::string comment;
  std::string data_hash;
  std::string prev_hash;
  std::string hash;
  int64_t prev_row = 0;  // the rowid of the item's previous row; 0 for its first
};

}  // namespace jingsai::storage
