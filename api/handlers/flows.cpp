// Flow definitions: read by everyone signed in, published and checked by admins.
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "storage/definitions.h"

namespace jingsai::api {
namespace {

// The definition as published, with its version.
boost::json::object EncodeFlow(const engine::FlowDefinition& flow) {
  boost::json::object json =
      flow.source.is_object() ? flow.source.as_object() : boost::json::object{};
  json["version"] = flow.version;
  return json;
}

boost::json::object EncodeFlowSummary(const engine::FlowDefinition& flow, size_t versions) {
  boost::json::array stages;
  for (const engine::Stage& stage : flow.stages) {
    stages.push_back(
        {{"id", stage.id}, {"kind", engine::StageKindName(stage.kind)}, {"title", stage.title}});
  }
  return {{"key", flow.key},         {"version", flow.version}, {"title", flow.title},
          {"subject", flow.subject}, {"start", flow.start},     {"stages", std::move(stages)},
          {"versions", versions}};
}

void ListFlows(App& app, Request request, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  engine::Result<KeyPageRequest> page = ParseKeyPage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  // By key, as the catalog holds them.
  respond(PageOf(
      app.catalog().LatestFlows(), page->limit,
      [&page](const storage::FlowPtr& flow) { return !page->after || flow->key > *page->after; },
      [](const storage::FlowPtr& flow) { return flow->key; },
      [&app](const storage::FlowPtr& flow) {
        return EncodeFlowSummary(*flow, app.catalog().Versions(flow->key).size());
      }));
}

void GetFlow(App& app, Request request, const std::string& key,
             std::optional<std::string> version_text, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  storage::FlowPtr flow;
  if (version_text) {
    std::optional<int64_t> version = ParseId(*version_text);
    if (version) flow = app.catalog().Flow(key, static_cast<int>(*version));
  } else {
    flow = app.catalog().LatestFlow(key);
  }
  if (flow == nullptr) return RespondError(respond, engine::Error::NotFound("没有这个流程"));
  respond(JsonResponse(200, EncodeFlow(*flow)));
}

void ListVersions(App& app, Request request, const std::string& key, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  std::vector<storage::FlowPtr> versions = app.catalog().Versions(key);
  if (versions.empty()) return RespondError(respond, engine::Error::NotFound("没有这个流程"));
  const int64_t after = page->cursor.value_or(0);
  respond(PageOf(
      versions, page->limit,
      [after](const storage::FlowPtr& flow) { return flow->version > after; },
      [](const storage::FlowPtr& flow) { return std::to_string(flow->version); },
      [&versions](const storage::FlowPtr& flow) {
        return EncodeFlowSummary(*flow, versions.size());
      }));
}

// Parses and checks the body as a definition: 422 invalid_flow with every problem.
engine::Result<engine::FlowDefinition> DecodeFlow(const Request& request) {
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return std::move(body).error();
  return engine::ParseFlow(boost::json::value(std::move(body).value()));
}

// Items stay on the version they started on, and a report flow is chosen by
// key: a new version may not turn a flow into one of another kind.
std::optional<engine::Error> SubjectChange(const engine::FlowDefinition& flow,
                                           std::string_view published_subject) {
  if (flow.subject == published_subject) return std::nullopt;
  return engine::Error::InvalidFlow({{"subject",
                                      "流程 " + flow.key + " 的新版本须与原版本同为 " +
                                          std::string(published_subject) + "，不能改变",
                                      ""}});
}

// The same answer as a publication would give, without publishing.
void ValidateFlow(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<engine::FlowDefinition> flow = DecodeFlow(request);
  if (!flow.ok()) return RespondError(respond, flow.error());
  if (storage::FlowPtr published = app.catalog().LatestFlow(flow->key)) {
    if (std::optional<engine::Error> changed = SubjectChange(flow.value(), published->subject)) {
      return RespondError(respond, *changed);
    }
  }
  respond(JsonResponse(200, {{"valid", true}}));
}

void PublishFlow(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<engine::FlowDefinition> parsed = DecodeFlow(request);
  if (!parsed.ok()) return RespondError(respond, parsed.error());
  // If-Match names the latest version the admin edited: two admins editing
  // the same flow do not publish over each other unseen.
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  auto flow = std::make_shared<engine::FlowDefinition>(std::move(parsed).value());
  int64_t admin_id = principal->user.id;
  ExecuteWrite(
      app, request, *principal,
      [&app, flow, admin_id,
       expected = std::move(if_match).value()](storage::Database& db) -> engine::Result<Response> {
        // Checked against what is stored, in the transaction: the catalog
        // learns of a version only after its commit.
        engine::Result<std::optional<storage::FlowHead>> head =
            storage::LatestFlowHead(db, flow->key);
        if (!head.ok()) return std::move(head).error();
        const int latest = head.value() ? head.value()->version : 0;
        if (engine::Status holds = expected.Check(latest, "流程"); !holds.ok()) {
          return std::move(holds).error();
        }
        if (head.value()) {
          if (std::optional<engine::Error> changed = SubjectChange(*flow, head.value()->subject)) {
            return std::move(*changed);
          }
        }
        engine::Result<int> version = storage::InsertFlowVersion(
            db, flow->key, boost::json::serialize(flow->source), app.NowText(), admin_id);
        if (!version.ok()) return std::move(version).error();
        flow->version = version.value();
        Response response = JsonResponse(201, {{"key", flow->key}, {"version", flow->version}});
        response.headers.emplace_back("Location", "/api/v1/flows/" + flow->key + "/versions/" +
                                                      std::to_string(flow->version));
        return response;
      },
      respond, [&app, flow]() { app.catalog().AddFlow(flow); });
}

}  // namespace

void RegisterFlowRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/flows", [&app](Request request, PathParams, Respond respond) {
    ListFlows(app, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/flows", [&app](Request request, PathParams, Respond respond) {
    PublishFlow(app, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/flows/validate",
             [&app](Request request, PathParams, Respond respond) {
               ValidateFlow(app, std::move(request), std::move(respond));
             });
  router.Add("GET", "/api/v1/flows/{key}",
             [&app](Request request, PathParams params, Respond respond) {
               GetFlow(app, std::move(request), params["key"], std::nullopt, std::move(respond));
             });
  router.Add("GET", "/api/v1/flows/{key}/versions",
             [&app](Request request, PathParams params, Respond respond) {
               ListVersions(app, std::move(request), params["key"], std::move(respond));
             });
  router.Add("GET", "/api/v1/flows/{key}/versions/{version}",
             [&app](Request request, PathParams params, Respond respond) {
               GetFlow(app, std::move(request), params["key"], params["version"],
                       std::move(respond));
             });
}

}  // namespace jingsai::api
