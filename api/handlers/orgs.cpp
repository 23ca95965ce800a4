// Organizations: the built-in tree, and units added by admins.
#include "storage/orgs.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "api/write.h"

namespace jingsai::api {
namespace {

// [a-z0-9][a-z0-9_-]{0,63}, checked by hand: GCC 12 warns falsely inside
// std::regex when built with the sanitizers.
bool IsValidCode(const std::string& code) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (code.empty() || code.size() > 64 || !lower_or_digit(code.front())) return false;
  return std::all_of(code.begin(), code.end(),
                     [&](char c) { return lower_or_digit(c) || c == '_' || c == '-'; });
}

// Decodes {"code", "name", "level", "parent"} and checks it against the tree:
// one city at the root; counties under the city; units under the city, a
// county, or another unit.
engine::Result<engine::Org> DecodeNewOrg(const boost::json::object& body,
                                         const engine::OrgTree& orgs) {
  FieldReader fields(body);
  engine::Org org;
  org.code = fields.RequiredString("code");
  if (!org.code.empty() && !IsValidCode(org.code)) {
    fields.Problem("code", "只能包含小写字母、数字、下划线和短横线，最长 64 个字符");
  }
  org.name = fields.RequiredText("name");
  std::string level = fields.RequiredString("level");
  std::optional<engine::OrgLevel> parsed_level = engine::ParseOrgLevel(level);
  if (!level.empty() && !parsed_level) fields.Problem("level", "须为 city、county 或 unit");
  std::string parent_code = fields.RequiredString("parent");
  const engine::Org* parent = parent_code.empty() ? nullptr : orgs.FindByCode(parent_code);
  if (!parent_code.empty() && parent == nullptr) {
    fields.Problem("parent", "没有这个上级组织：" + parent_code);
  }
  if (parsed_level && parent != nullptr) {
    org.level = *parsed_level;
    if (org.level == engine::OrgLevel::kCity) {
      fields.Problem("level", "市级组织只有一个（乐山市总工会），不能再创建");
    } else if (org.level == engine::OrgLevel::kCounty && parent->level != engine::OrgLevel::kCity) {
      fields.Problem("parent", "县级工会的上级须为市级组织");
    }
    org.parent_id = parent->id;
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return org;
}

void CreateOrg(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  engine::Result<engine::Org> org = DecodeNewOrg(body.value(), *app.catalog().orgs());
  if (!org.ok()) return RespondError(respond, org.error());

  auto created = std::make_shared<engine::Org>(std::move(org).value());
  ExecuteWrite(
      app, request, *principal,
      [&app, created](storage::Database& db) -> engine::Result<Response> {
        engine::Result<int64_t> id = storage::InsertOrg(db, *created, app.NowText());
        if (!id.ok()) {
          if (id.error().code == engine::ErrorCode::kConflict) {
            return engine::Error::Conflict("组织代码已存在：" + created->code);
          }
          return std::move(id).error();
        }
        created->id = id.value();
        engine::OrgTree preview = *app.catalog().orgs();
        preview.Add(*created);
        Response response = JsonResponse(201, EncodeOrg(*created, preview));
        response.headers.emplace_back("Location", "/api/v1/orgs/" + created->code);
        return response;
      },
      respond, [&app, created]() { app.catalog().AddOrg(*created); });
}

void ListOrgs(App& app, Request request, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  // An empty value (`?level=`) filters nothing.
  std::optional<std::string> parent_code = request.Query("parent");
  std::optional<std::string> level = request.Query("level");
  if (parent_code && parent_code->empty()) parent_code.reset();
  if (level && level->empty()) level.reset();
  const engine::Org* parent = parent_code ? orgs->FindByCode(*parent_code) : nullptr;
  if (parent_code && parent == nullptr) {
    return RespondError(
        respond, engine::Error::BadRequest("没有这个上级组织", {{"parent", "没有这个组织", ""}}));
  }
  if (level && !engine::ParseOrgLevel(*level)) {
    return RespondError(respond,
                        engine::Error::BadRequest("level 须为 city、county 或 unit",
                                                  {{"level", "须为 city、county 或 unit", ""}}));
  }
  const int64_t after = page->cursor.value_or(0);
  respond(PageOf(
      orgs->All(), page->limit,
      [&](const engine::Org& org) {
        return org.id > after && (parent == nullptr || org.parent_id == parent->id) &&
               (!level || engine::OrgLevelName(org.level) == *level);
      },
      [](const engine::Org& org) { return std::to_string(org.id); },
      [&orgs](const engine::Org& org) { return EncodeOrg(org, *orgs); }));
}

void GetOrg(App& app, Request request, const std::string& code, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  const engine::Org* org = orgs->FindByCode(code);
  if (org == nullptr)
    return RespondError(respond, engine::Error::NotFound("没有这个组织：" + code));
  boost::json::object json = EncodeOrg(*org, *orgs);
  boost::json::array children;
  for (const engine::Org* child : orgs->Children(org->id)) {
    children.push_back({{"code", child->code},
                        {"name", child->name},
                        {"level", engine::OrgLevelName(child->level)}});
  }
  json["children"] = std::move(children);
  respond(JsonResponse(200, json));
}

}  // namespace

void RegisterOrgRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/orgs", [&app](Request request, PathParams, Respond respond) {
    ListOrgs(app, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/orgs", [&app](Request request, PathParams, Respond respond) {
    CreateOrg(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/orgs/{code}",
             [&app](Request request, PathParams params, Respond respond) {
               GetOrg(app, std::move(request), params["code"], std::move(respond));
             });
}

}  // namespace jingsai::api
