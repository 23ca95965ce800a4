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
  boost::json::array items;
  for (const storage::FlowPtr& flow : app.catalog().LatestFlows()) {
    items.push_back(EncodeFlowSummary(*flow, app.catalog().Versions(flow->key).size()));
  }
  respond(PageResponse(std::move(items), std::nullopt));
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
  std::vector<storage::FlowPtr> versions = app.catalog().Versions(key);
  if (versions.empty()) return RespondError(respond, engine::Error::NotFound("没有这个流程"));
  boost::json::array items;
  for (const storage::FlowPtr& flow : versions) {
    items.push_back(EncodeFlowSummary(*flow, versions.size()));
  }
  respond(PageResponse(std::move(items), std::nullopt));
}

// Parses and checks the body as a definition: 422 invalid_flow with every problem.
engine::Result<engine::FlowDefinition> DecodeFlow(const Request& request) {
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return std::move(body).error();
  return engine::ParseFlow(boost::json::value(std::move(body).value()));
}

void ValidateFlow(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<engine::FlowDefinition> flow = DecodeFlow(request);
  if (!flow.ok()) return RespondError(respond, flow.error());
  respond(JsonResponse(200, {{"valid", true}}));
}

void PublishFlow(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<engine::FlowDefinition> parsed = DecodeFlow(request);
  if (!parsed.ok()) return RespondError(respond, parsed.error());
  auto flow = std::make_shared<engine::FlowDefinition>(std::move(parsed).value());
  int64_t admin_id = principal->user.id;
  ExecuteWrite(
      app, request, *principal,
      [&app, flow, admin_id](storage::Database& db) -> engine::Result<Response> {
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
