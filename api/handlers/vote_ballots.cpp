// Ballots and the close: members vote until a city reviewer closes the
// session; closing tallies by the flow's rules and moves each nomination.
#include <boost/json.hpp>
#include <map>
#include <set>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/stage_entry.h"
#include "api/handlers/vote_common.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/tally.h"
#include "engine/transition.h"
#include "storage/items.h"
#include "storage/sha256.h"
#include "storage/users.h"

namespace jingsai::api {
namespace {

struct BallotRequest {
  int64_t nomination = 0;
  engine::Choice choice = engine::Choice::kAbstain;
};

engine::Result<std::vector<BallotRequest>> DecodeBallots(const Request& request) {
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return std::move(body).error();
  FieldReader fields(body.value());
  std::vector<BallotRequest> ballots;
  const boost::json::array* list = fields.RequiredArray("ballots");
  if (list != nullptr && list->empty()) fields.Problem("ballots", "至少须有一张选票");
  std::set<int64_t> seen;
  for (size_t i = 0; list != nullptr && i < list->size(); ++i) {
    const std::string path = "ballots[" + std::to_string(i) + "]";
    const boost::json::object* entry = (*list)[i].if_object();
    if (entry == nullptr) {
      fields.Problem(path, "须为 {\"nomination\": 编号, \"choice\": \"for|against|abstain\"}");
      continue;
    }
    FieldReader nested(*entry, fields.PathOf(path));
    std::optional<int64_t> nomination = nested.OptionalInt("nomination");
    if (!entry->contains("nomination")) nested.Problem("nomination", "缺少必填字段");
    std::string choice_text = nested.RequiredString("choice");
    std::optional<engine::Choice> choice = engine::ParseChoice(choice_text);
    if (entry->contains("choice") && !choice_text.empty() && !choice) {
      nested.Problem("choice", "须为 for（赞成）、against（反对）或 abstain（弃权）");
    }
    if (nomination && !seen.insert(*nomination).second) {
      nested.Problem("nomination", "同一推荐只能投一票");
    }
    fields.Absorb(nested);
    if (nomination && choice) ballots.push_back({*nomination, *choice});
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return ballots;
}

// The commitment written to the nomination's history: it binds the ballot
// without revealing it (the nonce stays in the ballots table).
std::string Commitment(int64_t session, int64_t member, int64_t nomination, std::string_view choice,
                       std::string_view nonce) {
  return storage::Sha256Hex(std::to_string(session) + "|" + std::to_string(member) + "|" +
                            std::to_string(nomination) + "|" + std::string(choice) + "|" +
                            std::string(nonce));
}

engine::Result<boost::json::object> OwnBallots(storage::Database& db, int64_t session,
                                               int64_t member) {
  engine::Result<std::vector<storage::BallotRecord>> all = storage::LoadBallots(db, session);
  if (!all.ok()) return std::move(all).error();
  boost::json::array mine;
  for (const storage::BallotRecord& ballot : all.value()) {
    if (ballot.user_id != member) continue;
    mine.push_back(
        {{"nomination", ballot.item_id}, {"choice", ballot.choice}, {"cast_at", ballot.cast_at}});
  }
  return boost::json::object{{"session", session}, {"ballots", std::move(mine)}};
}

engine::Result<Response> CastBallots(App& app, storage::Database& db, int64_t session_id,
                                     const std::vector<BallotRequest>& ballots,
                                     const engine::Actor& actor) {
  engine::Result<storage::VoteSessionRecord> session = LoadSession(db, session_id);
  if (!session.ok()) return std::move(session).error();
  const std::vector<int64_t>& members = session->members;
  if (!std::binary_search(members.begin(), members.end(), actor.user_id)) {
    return engine::Error::Forbidden("您不是本次表决的委员");
  }
  if (session->status != "open") return engine::Error::InvalidAction("本次表决已结束，不能再投票");
  engine::Result<std::optional<storage::UserRecord>> member =
      storage::FindUserById(db, actor.user_id);
  if (!member.ok()) return std::move(member).error();
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();

  std::vector<storage::ItemRecord> items;
  std::vector<engine::Detail> problems;
  for (size_t i = 0; i < ballots.size(); ++i) {
    const std::string path = "ballots[" + std::to_string(i) + "].nomination";
    const int64_t id = ballots[i].nomination;
    if (!std::binary_search(session->nominations.begin(), session->nominations.end(), id)) {
      problems.push_back({path, "推荐 " + std::to_string(id) + " 不在本次表决中", ""});
      continue;
    }
    engine::Result<std::optional<storage::ItemRecord>> item = storage::LoadItem(db, id);
    if (!item.ok()) return std::move(item).error();
    items.push_back(std::move(*item.value()));
  }
  if (!problems.empty()) return engine::Error::BadRequest("选票有误", std::move(problems));
  for (const storage::ItemRecord& item : items) {
    if (IsRecused(*member.value(), item, *orgs)) {
      return engine::Error::Forbidden("您须回避对「" + item.title +
                                      "」的表决：您是推荐人，或在被推荐组织任职");
    }
  }

  const std::string at = app.NowText();
  for (size_t i = 0; i < ballots.size(); ++i) {
    storage::BallotRecord ballot{actor.user_id, ballots[i].nomination,
                                 std::string(engine::ChoiceName(ballots[i].choice)), NewToken(),
                                 at};
    if (engine::Status status = storage::PutBallot(db, session_id, ballot); !status.ok()) {
      return std::move(status).error();
    }
    storage::ItemRecord& item = items[i];
    engine::Fact fact{
        "ballot", item.instance.stage, item.instance.stage,
        "第 " + std::to_string(session_id) + " 次表决：委员已投票（凭证 " +
            Commitment(session_id, actor.user_id, item.instance.id, ballot.choice, ballot.nonce) +
            "）"};
    if (engine::Status status = RecordStep(db, item, fact, actor, at, item.instance.version);
        !status.ok()) {
      return std::move(status).error();
    }
  }
  engine::Result<boost::json::object> mine = OwnBallots(db, session_id, actor.user_id);
  if (!mine.ok()) return std::move(mine).error();
  return JsonResponse(200, mine.value());
}

void PostBallots(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这次表决：" + id_text));
  engine::Result<std::vector<BallotRequest>> ballots = DecodeBallots(request);
  if (!ballots.ok()) return RespondError(respond, ballots.error());
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, ballots = std::move(ballots).value(), actor = principal->actor](
          storage::Database& db) { return CastBallots(app, db, id, ballots, actor); },
      std::move(respond));
}

// Places of each kind already held in the campaign by nominations outside
// this session.
engine::Result<std::map<std::string, int64_t, std::less<>>> PlacesTaken(
    App& app, storage::Database& db, const storage::VoteSessionRecord& session) {
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  std::map<std::string, int64_t, std::less<>> taken;
  storage::SubtreeQuery query{std::string(storage::kKindNomination),
                              orgs->PathOf(orgs->Root()->id),
                              session.campaign,
                              std::nullopt,
                              INT64_MAX,
                              500};
  while (true) {
    engine::Result<std::vector<storage::ItemRecord>> page = storage::ListSubtree(db, query);
    if (!page.ok()) return std::move(page).error();
    for (const storage::ItemRecord& item : page.value()) {
      if (std::binary_search(session.nominations.begin(), session.nominations.end(),
                             item.instance.id)) {
        continue;
      }
      storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
      if (flow && engine::StagesHoldingPlace(*flow).contains(item.instance.stage)) {
        const boost::json::value* kind = item.instance.data.as_object().if_contains("kind");
        if (kind && kind->is_string()) ++taken[std::string(kind->get_string())];
      }
    }
    if (static_cast<int>(page->size()) < query.limit) break;
    query.before_id = page->back().instance.id;
  }
  return taken;
}

std::string KindOf(const storage::ItemRecord& item) {
  const boost::json::value* kind = item.instance.data.as_object().if_contains("kind");
  return kind && kind->is_string() ? std::string(kind->get_string()) : "";
}

boost::json::object EncodeResult(const engine::NominationResult& result,
                                 const storage::ItemRecord& item, const engine::OrgTree& orgs) {
  const engine::Org* org = orgs.Find(item.instance.org_id);
  return {{"nomination", result.nomination},
          {"kind", result.kind},
          {"org", org ? org->code : ""},
          {"org_name", org ? org->name : ""},
          {"title", item.title},
          {"for", result.votes_for},
          {"against", result.against},
          {"abstain", result.abstain},
          {"eligible", result.eligible},
          {"passed", result.passed},
          {"commended", result.commended},
          {"rank", result.rank ? boost::json::value(*result.rank) : nullptr},
          {"outcome", engine::OutcomeName(result.outcome)}};
}

// Moves one nomination as the tally decided, on its history.
engine::Status ApplyOutcome(App& app, storage::Database& db, storage::ItemRecord& item,
                            const engine::NominationResult& result, int64_t session_id,
                            const engine::Actor& actor, const std::string& at) {
  storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
  const engine::Stage* stage = flow ? flow->FindStage(item.instance.stage) : nullptr;
  if (stage == nullptr) return engine::Error::Internal("nomination at an unknown stage");
  const std::string counts = "赞成 " + std::to_string(result.votes_for) + "，反对 " +
                             std::to_string(result.against) + "，弃权 " +
                             std::to_string(result.abstain);
  const std::string prefix = "第 " + std::to_string(session_id) + " 次表决：";
  const int64_t previous_version = item.instance.version;
  engine::Fact fact{"", item.instance.stage, item.instance.stage, ""};
  switch (result.outcome) {
    case engine::VoteOutcome::kCommended:
    case engine::VoteOutcome::kNotCommended: {
      const bool pass = result.outcome == engine::VoteOutcome::kCommended;
      const engine::ActionSpec* action = stage->FindAction(pass ? "pass" : "fail");
      if (action == nullptr) return engine::Error::Internal("vote stage without pass/fail");
      fact.action = action->name;
      fact.to = action->to.front();
      fact.comment =
          prefix + (pass ? "通过，" : (result.passed ? "通过但未进入名额，" : "未通过，")) + counts;
      item.instance.stage = fact.to;
      item.instance.status = engine::StatusFor(*flow, fact.to, fact.action);
      item.instance.version += 1;
      item.stage_entered_at = at;
      item.last_action = fact.action;
      if (engine::Status entered = EnterStage(app, db, item, *flow, app.Now()); !entered.ok()) {
        return entered;
      }
      boost::json::object vote{{"session", session_id},
                               {"for", result.votes_for},
                               {"against", result.against},
                               {"abstain", result.abstain},
                               {"rank", result.rank ? boost::json::value(*result.rank) : nullptr}};
      item.instance.data.as_object()["vote"] = std::move(vote);
      break;
    }
    case engine::VoteOutcome::kTie:
      fact.action = "vote_tie";
      fact.comment = prefix + counts + "，与其他推荐同票跨越名额线，留待再次表决";
      break;
    case engine::VoteOutcome::kNoQuorum:
      fact.action = "vote_no_quorum";
      fact.comment = prefix + "未达到法定人数，留待再次表决";
      break;
  }
  return RecordStep(db, item, fact, actor, at, previous_version);
}

engine::Result<Response> CloseSession(App& app, storage::Database& db, int64_t session_id,
                                      const engine::Actor& actor) {
  engine::Result<storage::VoteSessionRecord> session = LoadSession(db, session_id);
  if (!session.ok()) return std::move(session).error();
  if (session->status != "open") return engine::Error::InvalidAction("本次表决已经结束");
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  engine::Result<std::vector<storage::ItemRecord>> items =
      LoadSessionNominations(db, session.value());
  if (!items.ok()) return std::move(items).error();
  engine::Result<std::map<int64_t, storage::UserRecord>> members = LoadMembers(db, session.value());
  if (!members.ok()) return std::move(members).error();
  engine::Result<std::vector<storage::BallotRecord>> ballots = storage::LoadBallots(db, session_id);
  if (!ballots.ok()) return std::move(ballots).error();
  engine::Result<std::map<std::string, int64_t, std::less<>>> taken =
      PlacesTaken(app, db, session.value());
  if (!taken.ok()) return std::move(taken).error();

  engine::TallyInput input;
  input.rules = engine::ParseVoteRules(boost::json::parse(session->rules));
  input.members = session->members;
  input.places_taken = std::move(taken).value();
  for (const storage::ItemRecord& item : items.value()) {
    engine::TallyNomination nomination{item.instance.id, KindOf(item), {}};
    for (const auto& [id, user] : members.value()) {
      if (IsRecused(user, item, *orgs)) nomination.recused.insert(id);
    }
    input.nominations.push_back(std::move(nomination));
  }
  for (const storage::BallotRecord& ballot : ballots.value()) {
    input.ballots.push_back(
        {ballot.user_id, ballot.item_id, engine::ParseChoice(ballot.choice).value()});
  }
  const engine::TallyResult tally = engine::Tally(input);

  const std::string at = app.NowText();
  boost::json::array results;
  for (size_t i = 0; i < tally.results.size(); ++i) {
    results.push_back(EncodeResult(tally.results[i], items->at(i), *orgs));
    if (engine::Status status =
            ApplyOutcome(app, db, items->at(i), tally.results[i], session_id, actor, at);
        !status.ok()) {
      return std::move(status).error();
    }
  }
  boost::json::array ties;
  for (int64_t id : tally.ties) ties.push_back(id);
  boost::json::object recorded{{"quorum_met", tally.quorum_met},
                               {"members_voted", tally.members_voted},
                               {"results", std::move(results)},
                               {"ties", std::move(ties)}};
  if (engine::Status status = storage::CloseVoteSession(db, session_id, actor.user_id, at,
                                                        boost::json::serialize(recorded));
      !status.ok()) {
    return std::move(status).error();
  }
  engine::Result<storage::VoteSessionRecord> closed = LoadSession(db, session_id);
  if (!closed.ok()) return std::move(closed).error();
  engine::Result<boost::json::object> encoded = EncodeSession(app, db, closed.value(), actor);
  if (!encoded.ok()) return std::move(encoded).error();
  return JsonResponse(200, encoded.value());
}

void PostClose(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这次表决：" + id_text));
  if (!MayRunVotes(principal->actor, *app.catalog().orgs())) {
    return RespondError(respond,
                        engine::Error::Forbidden("只有市总工会审核人或管理员可以结束表决"));
  }
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, actor = principal->actor](storage::Database& db) {
        return CloseSession(app, db, id, actor);
      },
      std::move(respond));
}

}  // namespace

void RegisterBallotRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/votes/{id}/ballots",
             [&app](Request request, PathParams params, Respond respond) {
               PostBallots(app, std::move(request), params["id"], std::move(respond));
             });
  router.Add("POST", "/api/v1/votes/{id}/close",
             [&app](Request request, PathParams params, Respond respond) {
               PostClose(app, std::move(request), params["id"], std::move(respond));
             });
}

}  // namespace jingsai::api
