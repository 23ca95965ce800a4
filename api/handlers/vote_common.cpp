#include "api/handlers/vote_common.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "storage/history.h"
#include "storage/items.h"
#include "storage/users.h"

namespace jingsai::api {

bool MayRunVotes(const engine::Actor& actor, const engine::OrgTree& orgs) {
  const engine::Org* root = orgs.Root();
  return std::any_of(actor.roles.begin(), actor.roles.end(), [&](const auto& role) {
    return role.role == engine::kRoleAdmin ||
           (role.role == engine::kRoleReviewer && root != nullptr && role.org_id == root->id);
  });
}

bool IsRecused(const storage::UserRecord& member, const storage::ItemRecord& nomination,
               const engine::OrgTree& orgs) {
  if (nomination.instance.created_by == member.id) return true;
  return std::any_of(member.roles.begin(), member.roles.end(), [&](const auto& role) {
    return orgs.Contains(nomination.instance.org_id, role.org_id);
  });
}

bool MaySeeSession(const storage::VoteSessionRecord& session, const engine::Actor& viewer,
                   const engine::OrgTree& orgs) {
  return MayRunVotes(viewer, orgs) ||
         std::binary_search(session.members.begin(), session.members.end(), viewer.user_id);
}

engine::Result<storage::VoteSessionRecord> LoadSession(storage::Database& db, int64_t id) {
  engine::Result<std::optional<storage::VoteSessionRecord>> loaded =
      storage::LoadVoteSession(db, id);
  if (!loaded.ok()) return std::move(loaded).error();
  if (!loaded.value()) return engine::Error::NotFound("没有这次表决：" + std::to_string(id));
  return std::move(*loaded.value());
}

engine::Result<std::vector<storage::ItemRecord>> LoadSessionNominations(
    storage::Database& db, const storage::VoteSessionRecord& session) {
  std::vector<storage::ItemRecord> nominations;
  for (int64_t id : session.nominations) {
    engine::Result<std::optional<storage::ItemRecord>> item = storage::LoadItem(db, id);
    if (!item.ok()) return std::move(item).error();
    if (!item.value()) return engine::Error::Internal("nomination of a session is missing");
    nominations.push_back(std::move(*item.value()));
  }
  return nominations;
}

engine::Result<std::map<int64_t, storage::UserRecord>> LoadMembers(
    storage::Database& db, const storage::VoteSessionRecord& session) {
  std::map<int64_t, storage::UserRecord> members;
  for (int64_t id : session.members) {
    engine::Result<std::optional<storage::UserRecord>> user = storage::FindUserById(db, id);
    if (!user.ok()) return std::move(user).error();
    if (!user.value()) return engine::Error::Internal("member of a session is missing");
    members.emplace(id, std::move(*user.value()));
  }
  return members;
}

namespace {

std::string UsernameOf(storage::Database& db, std::optional<int64_t> id) {
  if (!id) return "";
  engine::Result<std::optional<storage::UserRecord>> user = storage::FindUserById(db, *id);
  return user.ok() && user.value() ? user.value()->username : "";
}

boost::json::object EncodeNomination(const storage::ItemRecord& item, const engine::OrgTree& orgs) {
  const engine::Org* org = orgs.Find(item.instance.org_id);
  const boost::json::object* data = item.instance.data.if_object();
  auto field = [data](std::string_view key) -> boost::json::value {
    const boost::json::value* value = data ? data->if_contains(key) : nullptr;
    return value ? *value : boost::json::value(nullptr);
  };
  return {{"id", item.instance.id},        {"kind", field("kind")},
          {"org", org ? org->code : ""},   {"org_name", org ? org->name : ""},
          {"title", item.title},           {"person", field("person")},
          {"citation", field("citation")}, {"stage", item.instance.stage}};
}

}  // namespace

engine::Result<boost::json::object> EncodeSession(App& app, storage::Database& db,
                                                  const storage::VoteSessionRecord& session,
                                                  const engine::Actor& viewer) {
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  engine::Result<std::vector<storage::BallotRecord>> ballots = storage::LoadBallots(db, session.id);
  if (!ballots.ok()) return std::move(ballots).error();
  std::set<int64_t> voted;
  boost::json::array mine;
  for (const storage::BallotRecord& ballot : ballots.value()) {
    voted.insert(ballot.user_id);
    if (ballot.user_id == viewer.user_id) {
      mine.push_back(
          {{"nomination", ballot.item_id}, {"choice", ballot.choice}, {"cast_at", ballot.cast_at}});
    }
  }
  engine::Result<std::map<int64_t, storage::UserRecord>> members = LoadMembers(db, session);
  if (!members.ok()) return std::move(members).error();
  boost::json::array member_list;
  for (const auto& [id, user] : members.value()) {
    member_list.push_back({{"username", user.username},
                           {"display_name", user.display_name},
                           {"voted", voted.contains(id)}});
  }
  engine::Result<std::vector<storage::ItemRecord>> nominations =
      LoadSessionNominations(db, session);
  if (!nominations.ok()) return std::move(nominations).error();
  boost::json::array nomination_list;
  for (const storage::ItemRecord& item : nominations.value()) {
    boost::json::object entry = EncodeNomination(item, *orgs);
    auto member = members->find(viewer.user_id);
    if (member != members->end()) entry["recused"] = IsRecused(member->second, item, *orgs);
    nomination_list.push_back(std::move(entry));
  }

  const bool closed = session.status == "closed";
  boost::json::object encoded{
      {"id", session.id},
      {"campaign", session.campaign},
      {"title", session.title},
      {"status", session.status},
      {"rules", boost::json::parse(session.rules)},
      {"opened_by", UsernameOf(db, session.opened_by)},
      {"opened_at", session.opened_at},
      {"closed_by", closed ? boost::json::value(UsernameOf(db, session.closed_by)) : nullptr},
      {"closed_at", closed ? boost::json::value(session.closed_at) : nullptr},
      {"members", std::move(member_list)},
      {"members_voted", static_cast<int64_t>(voted.size())},
      {"nominations", std::move(nomination_list)}};
  if (members->contains(viewer.user_id)) encoded["my_ballots"] = std::move(mine);
  if (closed) {
    boost::json::object results = boost::json::parse(session.results).as_object();
    for (const auto& entry : results) encoded[entry.key()] = entry.value();
  }
  return encoded;
}

}  // namespace jingsai::api

namespace jingsai::api {

engine::Status RecordStep(storage::Database& db, storage::ItemRecord& item,
                          const engine::Fact& fact, const engine::Actor& actor,
                          const std::string& at, int64_t previous_version) {
  item.updated_at = at;
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, fact, actor.user_id, actor.username, at);
  if (!row.ok()) return std::move(row).error();
  return storage::UpdateItem(db, item, previous_version);
}

}  // namespace jingsai::api
