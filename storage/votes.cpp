#include "storage/votes.h"

namespace jingsai::storage {
namespace {

constexpr std::string_view kSessionColumns =
    "SELECT id, campaign, title, rules, status, opened_by, opened_at, closed_by, "
    "COALESCE(closed_at, ''), COALESCE(results, '') FROM vote_sessions ";

VoteSessionRecord ReadSession(const Statement& row) {
  VoteSessionRecord session;
  session.id = row.Int(0);
  session.campaign = row.Text(1);
  session.title = row.Text(2);
  session.rules = row.Text(3);
  session.status = row.Text(4);
  session.opened_by = row.Int(5);
  session.opened_at = row.Text(6);
  if (!row.IsNull(7)) session.closed_by = row.Int(7);
  session.closed_at = row.Text(8);
  session.results = row.Text(9);
  return session;
}

engine::Result<std::vector<int64_t>> Ids(Database& db, std::string_view sql, int64_t session_id) {
  Query query = db.Prepare(sql);
  query->Bind(1, session_id);
  std::vector<int64_t> ids;
  while (true) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return ids;
    ids.push_back(query->Int(0));
  }
}

// Fills the members and nominations of sessions read from the main table.
engine::Status LoadParticipants(Database& db, VoteSessionRecord& session) {
  engine::Result<std::vector<int64_t>> members =
      Ids(db, "SELECT user_id FROM vote_members WHERE session_id = ? ORDER BY user_id", session.id);
  if (!members.ok()) return std::move(members).error();
  engine::Result<std::vector<int64_t>> nominations = Ids(
      db, "SELECT item_id FROM vote_nominations WHERE session_id = ? ORDER BY item_id", session.id);
  if (!nominations.ok()) return std::move(nominations).error();
  session.members = std::move(members).value();
  session.nominations = std::move(nominations).value();
  return engine::Ok{};
}

engine::Status InsertPairs(Database& db, std::string_view sql, int64_t session_id,
                           const std::vector<int64_t>& ids) {
  for (int64_t id : ids) {
    Query query = db.Prepare(sql);
    query->Bind(1, session_id).Bind(2, id);
    if (engine::Status status = query->Run(); !status.ok()) return status;
  }
  return engine::Ok{};
}

}  // namespace

engine::Result<int64_t> InsertVoteSession(Database& db, const VoteSessionRecord& session) {
  Query query = db.Prepare(
      "INSERT INTO vote_sessions (campaign, title, rules, status, opened_by, opened_at) "
      "VALUES (?, ?, ?, 'open', ?, ?)");
  query->Bind(1, session.campaign)
      .Bind(2, session.title)
      .Bind(3, session.rules)
      .Bind(4, session.opened_by)
      .Bind(5, session.opened_at);
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  const int64_t id = db.LastInsertId();
  if (engine::Status status = InsertPairs(
          db, "INSERT INTO vote_members (session_id, user_id) VALUES (?, ?)", id, session.members);
      !status.ok()) {
    return std::move(status).error();
  }
  if (engine::Status status =
          InsertPairs(db, "INSERT INTO vote_nominations (session_id, item_id) VALUES (?, ?)", id,
                      session.nominations);
      !status.ok()) {
    return std::move(status).error();
  }
  return id;
}

engine::Result<std::optional<VoteSessionRecord>> LoadVoteSession(Database& db, int64_t id) {
  std::optional<VoteSessionRecord> session;
  {
    Query query = db.Prepare(std::string(kSessionColumns) + "WHERE id = ?");
    query->Bind(1, id);
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return session;
    session = ReadSession(*query);
  }
  if (engine::Status status = LoadParticipants(db, *session); !status.ok()) {
    return std::move(status).error();
  }
  return session;
}

engine::Result<std::vector<VoteSessionRecord>> ListVoteSessions(
    Database& db, const std::optional<std::string>& campaign, int64_t before_id, int limit) {
  std::vector<VoteSessionRecord> sessions;
  {
    Query query = db.Prepare(std::string(kSessionColumns) +
                             "WHERE id < ?1 AND (?2 IS NULL OR campaign = ?2) "
                             "ORDER BY id DESC LIMIT ?3");
    query->Bind(1, before_id);
    if (campaign) {
      query->Bind(2, *campaign);
    } else {
      query->BindNull(2);
    }
    query->Bind(3, static_cast<int64_t>(limit));
    while (true) {
      engine::Result<bool> row = query->Step();
      if (!row.ok()) return std::move(row).error();
      if (!row.value()) break;
      sessions.push_back(ReadSession(*query));
    }
  }
  for (VoteSessionRecord& session : sessions) {
    if (engine::Status status = LoadParticipants(db, session); !status.ok()) {
      return std::move(status).error();
    }
  }
  return sessions;
}

engine::Result<std::optional<int64_t>> OpenSessionOf(Database& db, int64_t item_id) {
  Query query = db.Prepare(
      "SELECT s.id FROM vote_nominations n JOIN vote_sessions s ON s.id = n.session_id "
      "WHERE n.item_id = ? AND s.status = 'open' LIMIT 1");
  query->Bind(1, item_id);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<int64_t>();
  return std::optional<int64_t>(query->Int(0));
}

engine::Status CloseVoteSession(Database& db, int64_t id, int64_t closed_by,
                                const std::string& closed_at, const std::string& results) {
  Query query = db.Prepare(
      "UPDATE vote_sessions SET status = 'closed', closed_by = ?, closed_at = ?, results = ? "
      "WHERE id = ? AND status = 'open'");
  query->Bind(1, closed_by).Bind(2, closed_at).Bind(3, results).Bind(4, id);
  if (engine::Status status = query->Run(); !status.ok()) return status;
  if (db.Changes() != 1) return engine::Error::InvalidAction("表决已结束");
  return engine::Ok{};
}

engine::Status PutBallot(Database& db, int64_t session_id, const BallotRecord& ballot) {
  Query query = db.Prepare(
      "INSERT INTO ballots (session_id, user_id, item_id, choice, nonce, cast_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, user_id, item_id) DO UPDATE SET "
      "choice = excluded.choice, nonce = excluded.nonce, cast_at = excluded.cast_at");
  query->Bind(1, session_id)
      .Bind(2, ballot.user_id)
      .Bind(3, ballot.item_id)
      .Bind(4, ballot.choice)
      .Bind(5, ballot.nonce)
      .Bind(6, ballot.cast_at);
  return query->Run();
}

engine::Result<std::vector<BallotRecord>> LoadBallots(Database& db, int64_t session_id) {
  Query query = db.Prepare(
      "SELECT user_id, item_id, choice, nonce, cast_at FROM ballots WHERE session_id = ? "
      "ORDER BY user_id, item_id");
  query->Bind(1, session_id);
  std::vector<BallotRecord> ballots;
  while (true) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return ballots;
    ballots.push_back(
        {query->Int(0), query->Int(1), query->Text(2), query->Text(3), query->Text(4)});
  }
}

}  // namespace jingsai::storage
