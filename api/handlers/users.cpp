// Users: created by admins with their roles.
#include "storage/users.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/text.h"

namespace jingsai::api {
namespace {

constexpr size_t kMinPasswordLength = 8;

// [A-Za-z0-9_.-]{1,64}, checked by hand: GCC 12 warns falsely inside
// std::regex when built with the sanitizers.
bool IsValidUsername(const std::string& username) {
  if (username.empty() || username.size() > 64) return false;
  return std::all_of(username.begin(), username.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

// Decodes [{"role", "org"}], every problem at its path.
std::vector<engine::RoleBinding> DecodeRoles(const boost::json::array& roles,
                                             const engine::OrgTree& orgs, FieldReader& fields) {
  std::vector<engine::RoleBinding> bindings;
  for (size_t i = 0; i < roles.size(); ++i) {
    std::string path = "roles[" + std::to_string(i) + "]";
    const boost::json::object* entry = roles[i].if_object();
    if (entry == nullptr) {
      fields.Problem(path, "须为 {\"role\", \"org\"} 对象");
      continue;
    }
    FieldReader role_fields(*entry, path);
    std::string role = role_fields.RequiredString("role");
    std::string org_code = role_fields.RequiredString("org");
    if (!role.empty() && !engine::IsKnownRole(role)) {
      fields.Problem(path + ".role",
                     "未知角色「" + role + "」，可选 submitter、reviewer、voter、admin");
    }
    const engine::Org* org = org_code.empty() ? nullptr : orgs.FindByCode(org_code);
    if (!org_code.empty() && org == nullptr) {
      fields.Problem(path + ".org", "没有这个组织：" + org_code);
    }
    // Administration is not scoped to a subtree: an admin role anywhere else
    // would give a county or unit user the power over the whole city.
    const engine::Org* root = orgs.Root();
    if (role == engine::kRoleAdmin && org != nullptr && root != nullptr && org->id != root->id) {
      fields.Problem(path + ".org", "管理员角色只能设在市级组织「" + root->name + "」");
    }
    fields.Absorb(role_fields);
    if (role_fields.ok() && org != nullptr && engine::IsKnownRole(role)) {
      engine::RoleBinding binding{role, org->id};
      if (std::find(bindings.begin(), bindings.end(), binding) != bindings.end()) {
        fields.Problem(path, "重复的角色：" + role + " @ " + org_code);
        continue;
      }
      bindings.push_back(std::move(binding));
    }
  }
  return bindings;
}

// Decodes {"username", "password", "display_name", "roles": [{"role", "org"}]}.
engine::Result<storage::UserRecord> DecodeNewUser(const boost::json::object& body,
                                                  const engine::OrgTree& orgs,
                                                  std::string& password) {
  FieldReader fields(body);
  storage::UserRecord user;
  user.username = fields.RequiredString("username");
  if (!user.username.empty() && !IsValidUsername(user.username)) {
    fields.Problem("username", "只能包含字母、数字、下划线、点和短横线，最长 64 个字符");
  }
  password = fields.RequiredString("password");
  if (!password.empty() && password.size() < kMinPasswordLength) {
    fields.Problem("password", "密码至少 8 个字符");
  }
  user.display_name = fields.OptionalText("display_name").value_or(user.username);
  if (const boost::json::array* roles = fields.RequiredArray("roles")) {
    user.roles = DecodeRoles(*roles, orgs, fields);
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return user;
}

void CreateUser(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  std::string password;
  engine::Result<storage::UserRecord> user =
      DecodeNewUser(body.value(), *app.catalog().orgs(), password);
  if (!user.ok()) return RespondError(respond, user.error());

  app.RunBlocking([&app, request = std::move(request), principal = std::move(*principal),
                   user = std::move(user).value(), password, respond]() mutable {
    user.password_hash = HashPassword(password);
    user.created_at = app.NowText();
    ExecuteWrite(
        app, request, principal,
        [&app, user](storage::Database& db) -> engine::Result<Response> {
          engine::Result<int64_t> id = storage::InsertUser(db, user);
          if (!id.ok()) {
            if (id.error().code == engine::ErrorCode::kConflict) {
              return engine::Error::Conflict("用户名已存在：" + user.username);
            }
            return std::move(id).error();
          }
          Response response = JsonResponse(201, EncodeUser(user, *app.catalog().orgs()));
          response.headers.emplace_back("Location", "/api/v1/users/" + user.username);
          return response;
        },
        respond);
  });
}

void ListUsers(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  engine::Result<std::vector<storage::UserRecord>> users =
      storage::ListUsers(*app.readers().Acquire());
  if (!users.ok()) return RespondError(respond, users.error());
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  // By id: users added meanwhile come after every cursor already given.
  const int64_t after = page->cursor.value_or(0);
  respond(PageOf(
      users.value(), page->limit,
      [after](const storage::UserRecord& user) { return user.id > after; },
      [](const storage::UserRecord& user) { return std::to_string(user.id); },
      [&orgs](const storage::UserRecord& user) { return EncodeUser(user, *orgs); }));
}

void GetUser(App& app, Request request, const std::string& username, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  if (principal->user.username != username && !RequireAdmin(*principal, respond)) return;
  engine::Result<std::optional<storage::UserRecord>> user =
      storage::FindUserByName(*app.readers().Acquire(), username);
  if (!user.ok()) return RespondError(respond, user.error());
  if (!user.value()) return RespondError(respond, engine::Error::NotFound("没有这个用户"));
  respond(JsonResponse(200, EncodeUser(*user.value(), *app.catalog().orgs())));
}

// A change an administrator makes to a user: any of display_name, password,
// roles, disabled. Disabling (or a new password) ends the user's sessions.
struct UserChange {
  std::optional<std::string> display_name;
  std::optional<std::string> password;
  std::optional<std::vector<engine::RoleBinding>> roles;
  std::optional<bool> disabled;
};

engine::Result<UserChange> DecodeUserChange(const boost::json::object& body,
                                            const engine::OrgTree& orgs) {
  FieldReader fields(body);
  UserChange change;
  change.display_name = fields.OptionalText("display_name");
  change.password = fields.OptionalString("password");
  if (change.password && change.password->size() < kMinPasswordLength) {
    fields.Problem("password", "密码至少 8 个字符");
  }
  if (const boost::json::array* roles = fields.OptionalArray("roles")) {
    change.roles = DecodeRoles(*roles, orgs, fields);
  }
  if (const boost::json::value* disabled = fields.Optional("disabled")) {
    if (!disabled->is_bool()) {
      fields.Problem("disabled", "须为 true 或 false");
    } else {
      change.disabled = disabled->get_bool();
    }
  }
  for (const auto& entry : body) {
    const std::string_view key = entry.key();
    if (key != "display_name" && key != "password" && key != "roles" && key != "disabled") {
      fields.Problem(key, "不能修改的字段");
    }
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return change;
}

engine::Result<Response> ApplyUserChange(App& app, storage::Database& db,
                                         const std::string& username, const UserChange& change,
                                         const std::optional<std::string>& password_hash,
                                         const Principal& admin) {
  engine::Result<std::optional<storage::UserRecord>> found = storage::FindUserByName(db, username);
  if (!found.ok()) return std::move(found).error();
  if (!found.value()) return engine::Error::NotFound("没有这个用户：" + username);
  storage::UserRecord user = std::move(*found.value());
  if (user.id == admin.user.id && change.disabled.value_or(false)) {
    return engine::Error::Conflict("不能停用自己的账号");
  }
  // Nor may an administrator lock themselves out by dropping their own admin role.
  if (user.id == admin.user.id && change.roles &&
      std::none_of(change.roles->begin(), change.roles->end(), [](const engine::RoleBinding& role) {
        return role.role == engine::kRoleAdmin;
      })) {
    return engine::Error::Conflict("不能取消自己的管理员角色");
  }
  if (change.display_name) user.display_name = *change.display_name;
  if (password_hash) user.password_hash = *password_hash;
  if (change.roles) user.roles = *change.roles;
  if (change.disabled) user.disabled = *change.disabled;
  if (engine::Status status = storage::UpdateUser(db, user); !status.ok()) {
    return std::move(status).error();
  }
  if (user.disabled || password_hash) {
    if (engine::Status status = storage::RevokeUserTokens(db, user.id); !status.ok()) {
      return std::move(status).error();
    }
  }
  return JsonResponse(200, EncodeUser(user, *app.catalog().orgs()));
}

void PatchUser(App& app, Request request, const std::string& username, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  engine::Result<UserChange> change = DecodeUserChange(body.value(), *app.catalog().orgs());
  if (!change.ok()) return RespondError(respond, change.error());
  // Hashing is slow on purpose; it runs off the I/O threads.
  app.RunBlocking([&app, request = std::move(request), principal = std::move(*principal),
                   change = std::move(change).value(), username, respond]() mutable {
    std::optional<std::string> hash;
    if (change.password) hash = HashPassword(*change.password);
    ExecuteWrite(
        app, request, principal,
        [&app, username, change, hash, principal](storage::Database& db) {
          return ApplyUserChange(app, db, username, change, hash, principal);
        },
        respond, [&app] { app.auth_cache().Invalidate(); });
  });
}

}  // namespace

void RegisterUserRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/users", [&app](Request request, PathParams, Respond respond) {
    ListUsers(app, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/users", [&app](Request request, PathParams, Respond respond) {
    CreateUser(app, std::move(request), std::move(respond));
  });
  router.Add("PATCH", "/api/v1/users/{username}",
             [&app](Request request, PathParams params, Respond respond) {
               PatchUser(app, std::move(request), params["username"], std::move(respond));
             });
  router.Add("GET", "/api/v1/users/{username}",
             [&app](Request request, PathParams params, Respond respond) {
               GetUser(app, std::move(request), params["username"], std::move(respond));
             });
}

}  // namespace jingsai::api
