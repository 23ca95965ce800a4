// The published list of a campaign's commended units and individuals, as
// JSON or as a CSV that spreadsheet software opens in Chinese.
#include <algorithm>
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "storage/items.h"

namespace jingsai::api {
namespace {

struct Commendation {
  int64_t nomination = 0;
  std::string kind;
  const engine::Org* org = nullptr;
  const engine::Org* county = nullptr;  // the county-level union above, if any
  boost::json::object person;
  std::string citation;
  boost::json::object vote;
};

std::string TextOf(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : "";
}

int64_t NumberOf(const boost::json::object& object, std::string_view key, int64_t fallback) {
  const boost::json::value* value = object.if_contains(key);
  return value && value->is_int64() ? value->get_int64() : fallback;
}

Commendation FromItem(const storage::ItemRecord& item, const engine::OrgTree& orgs) {
  const boost::json::object& data = item.instance.data.as_object();
  Commendation entry;
  entry.nomination = item.instance.id;
  entry.kind = TextOf(data, "kind");
  entry.org = orgs.Find(item.instance.org_id);
  const engine::Org* scope = orgs.Find(orgs.CountyScopeOf(item.instance.org_id));
  if (scope != nullptr && scope->level == engine::OrgLevel::kCounty) entry.county = scope;
  if (const boost::json::value* person = data.if_contains("person");
      person && person->is_object()) {
    entry.person = person->as_object();
  }
  entry.citation = TextOf(data, "citation");
  if (const boost::json::value* vote = data.if_contains("vote"); vote && vote->is_object()) {
    entry.vote = vote->as_object();
  }
  return entry;
}

// Units first, then individuals; within a kind by the vote's rank.
void SortForPublication(std::vector<Commendation>& list) {
  std::stable_sort(list.begin(), list.end(), [](const Commendation& a, const Commendation& b) {
    if (a.kind != b.kind) return a.kind == "unit";
    const int64_t rank_a = NumberOf(a.vote, "rank", INT64_MAX);
    const int64_t rank_b = NumberOf(b.vote, "rank", INT64_MAX);
    return rank_a != rank_b ? rank_a < rank_b : a.nomination < b.nomination;
  });
}

boost::json::object ToJson(const Commendation& entry) {
  return {{"nomination", entry.nomination},
          {"kind", entry.kind},
          {"kind_label", entry.kind == "unit" ? "先进单位" : "先进个人"},
          {"org", entry.org ? entry.org->code : ""},
          {"org_name", entry.org ? entry.org->name : ""},
          {"county", entry.county ? boost::json::value(entry.county->code) : nullptr},
          {"county_name", entry.county ? boost::json::value(entry.county->name) : nullptr},
          {"person", entry.person.empty() ? boost::json::value(nullptr) : entry.person},
          {"citation", entry.citation},
          {"for", NumberOf(entry.vote, "for", 0)},
          {"against", NumberOf(entry.vote, "against", 0)},
          {"abstain", NumberOf(entry.vote, "abstain", 0)},
          {"rank", entry.vote.contains("rank") ? entry.vote.at("rank") : nullptr}};
}

// RFC 4180: quote every field, double the quotes inside. A field that a
// spreadsheet would read as a formula is prefixed with an apostrophe, so a
// citation can never run as one.
std::string CsvField(std::string_view text) {
  std::string quoted = "\"";
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    quoted += '\'';
  }
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ToCsv(const std::vector<Commendation>& list) {
  // The byte-order mark tells spreadsheet software the file is UTF-8.
  std::string csv = "\xEF\xBB\xBF";
  const std::vector<std::string> header = {"序号",   "类别",   "单位",     "所属县（市、区）",
                                           "姓名",   "职务",   "推荐理由", "赞成票",
                                           "反对票", "弃权票", "名次"};
  auto append_row = [&csv](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvField(fields[i]);
    }
    csv += "\r\n";
  };
  append_row(header);
  for (size_t i = 0; i < list.size(); ++i) {
    const Commendation& entry = list[i];
    const int64_t rank = NumberOf(entry.vote, "rank", 0);
    append_row({std::to_string(i + 1), entry.kind == "unit" ? "先进单位" : "先进个人",
                entry.org ? entry.org->name : "", entry.county ? entry.county->name : "",
                TextOf(entry.person, "name"), TextOf(entry.person, "position"), entry.citation,
                std::to_string(NumberOf(entry.vote, "for", 0)),
                std::to_string(NumberOf(entry.vote, "against", 0)),
                std::to_string(NumberOf(entry.vote, "abstain", 0)),
                rank > 0 ? std::to_string(rank) : ""});
  }
  return csv;
}

void GetCommendations(App& app, Request request, const std::string& key, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  storage::CampaignPtr campaign = app.catalog().Campaign(key);
  if (campaign == nullptr)
    return RespondError(respond, engine::Error::NotFound("没有这个活动：" + key));
  std::string format = request.Query("format").value_or("json");
  if (format != "json" && format != "csv") {
    return RespondError(respond, engine::Error::BadRequest("format 须为 json 或 csv",
                                                           {{"format", "须为 json 或 csv", ""}}));
  }
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  storage::ReaderPool::Lease db = app.readers().Acquire();
  std::vector<Commendation> list;
  storage::SubtreeQuery query{std::string(storage::kKindNomination),
                              orgs->PathOf(orgs->Root()->id),
                              key,
                              std::nullopt,
                              INT64_MAX,
                              500};
  while (true) {
    engine::Result<std::vector<storage::ItemRecord>> page = storage::ListSubtree(*db, query);
    if (!page.ok()) return RespondError(respond, page.error());
    for (const storage::ItemRecord& item : page.value()) {
      if (item.instance.status == "commended") list.push_back(FromItem(item, *orgs));
    }
    if (static_cast<int>(page->size()) < query.limit) break;
    query.before_id = page->back().instance.id;
  }
  SortForPublication(list);
  if (format == "csv") {
    Response response;
    response.status = 200;
    response.body = ToCsv(list);
    response.content_type = "text/csv; charset=utf-8";
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"commendations-" + key + ".csv\"");
    return respond(std::move(response));
  }
  boost::json::array items;
  for (const Commendation& entry : list) items.push_back(ToJson(entry));
  respond(JsonResponse(
      200, {{"campaign", key}, {"title", campaign->title}, {"items", std::move(items)}}));
}

}  // namespace

void RegisterCommendationRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/campaigns/{key}/commendations",
             [&app](Request request, PathParams params, Respond respond) {
               GetCommendations(app, std::move(request), params["key"], std::move(respond));
             });
}

}  // namespace jingsai::api
