// Vote sessions, their members and nominations, and the ballots cast.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

struct VoteSessionRecord {
  int64_t id = 0;
  std::string campaign;
  std::string title;
  std::string rules;   // JSON
  std::string status;  // open | closed
  int64_t opened_by = 0;
  std::string opened_at;
  std::optional<int64_t> closed_by;
  std::string closed_at;
  std::string results;               // JSON, empty while open
  std::vector<int64_t> members;      // user ids, ascending
  std::vector<int64_t> nominations;  // item ids, ascending
};

struct BallotRecord {
  int64_t user_id = 0;
  int64_t item_id = 0;
  std::string choice;
  std::string nonce;
  std::string cast_at;
};

// Inserts the session with its members and nominations; returns its id.
engine::Result<int64_t> InsertVoteSession(Database& db, const VoteSessionRecord& session);
engine::Result<std::optional<VoteSessionRecord>> LoadVoteSession(Database& db, int64_t id);
// Newest first, keyset by id; campaign filter when given.
engine::Result<std::vector<VoteSessionRecord>> ListVoteSessions(
    Database& db, const std::optional<std::string>& campaign, int64_t before_id, int limit);
// The open session (if any) that already covers the nomination.
engine::Result<std::optional<int64_t>> OpenSessionOf(Database& db, int64_t item_id);
engine::Status CloseVoteSession(Database& db, int64_t id, int64_t closed_by,
                                const std::string& closed_at, const std::string& results);

// Casts or replaces a member's ballot on one nomination.
engine::Status PutBallot(Database& db, int64_t session_id, const BallotRecord& ballot);
engine::Result<std::vector<BallotRecord>> LoadBallots(Database& db, int64_t session_id);

}  // namespace jingsai::storage
