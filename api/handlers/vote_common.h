// What the vote endpoints share: who may run sessions, recusal, and how a
// session is shown (tallies only after the close).
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/auth.h"
#include "api/router.h"
#include "engine/org_tree.h"
#include "engine/result.h"
#include "engine/transition.h"
#include "storage/records.h"
#include "storage/sqlite.h"
#include "storage/votes.h"

namespace jingsai::api {

// City reviewers and administrators open and close sessions.
bool MayRunVotes(const engine::Actor& actor, const engine::OrgTree& orgs);

// A member may not vote on a nomination they made, nor on one of an
// organization they belong to (a role at it or inside its subtree; a role at
// an ancestor such as the city does not recuse).
bool IsRecused(const storage::UserRecord& member, const storage::ItemRecord& nomination,
               const engine::OrgTree& orgs);

// The session, or kNotFound.
engine::Result<storage::VoteSessionRecord> LoadSession(storage::Database& db, int64_t id);

// The session's nominations, in id order.
engine::Result<std::vector<storage::ItemRecord>> LoadSessionNominations(
    storage::Database& db, const storage::VoteSessionRecord& session);

// The session's members, by user id.
engine::Result<std::map<int64_t, storage::UserRecord>> LoadMembers(
    storage::Database& db, const storage::VoteSessionRecord& session);

// The session as `viewer` sees it: who has voted, the viewer's own ballots if
// a member, and the results only once closed.
engine::Result<boost::json::object> EncodeSession(App& app, storage::Database& db,
                                                  const storage::VoteSessionRecord& session,
                                                  const engine::Actor& viewer);

// May `viewer` read the session at all?
bool MaySeeSession(const storage::VoteSessionRecord& session, const engine::Actor& viewer,
                   const engine::OrgTree& orgs);

}  // namespace jingsai::api

namespace jingsai::api {

// Appends `fact` to the nomination's history and writes the item, whose
// stored version must still be `previous_version`.
engine::Status RecordStep(storage::Database& db, storage::ItemRecord& item,
                          const engine::Fact& fact, const engine::Actor& actor,
                          const std::string& at, int64_t previous_version);

}  // namespace jingsai::api

namespace jingsai::api {

// Casting ballots and closing a session (vote_ballots.cpp).
void RegisterBallotRoutes(Router& router, App& app);

}  // namespace jingsai::api
