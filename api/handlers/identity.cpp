// Login, logout and the current user.
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/time_format.h"
#include "storage/users.h"

namespace jingsai::api {
namespace {

// Verifying against this when the username is unknown makes a failed login
// take as long either way, so timing does not reveal which usernames exist.
const std::string& DummyHash() {
  static const std::string hash = HashPassword("jingsai-no-such-user");
  return hash;
}

void Login(App& app, Request request, Respond respond) {
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  FieldReader fields(body.value());
  std::string username = fields.RequiredString("username");
  std::string password = fields.RequiredString("password");
  if (engine::Status status = fields.Finish(); !status.ok()) {
    return RespondError(respond, status.error());
  }
  app.RunBlocking([&app, username, password, respond]() {
    engine::Result<std::optional<storage::UserRecord>> found =
        storage::FindUserByName(*app.readers().Acquire(), username);
    if (!found.ok()) return RespondError(respond, found.error());
    const std::optional<storage::UserRecord>& user = found.value();
    bool verified = VerifyPassword(user ? user->password_hash : DummyHash(), password);
    if (!user || !verified || user->disabled) {
      return RespondError(respond, engine::Error::Unauthenticated("用户名或密码错误"));
    }
    std::string token = NewToken();
    std::string expires_at = engine::FormatTime(app.Now() + app.config().token_ttl);
    boost::json::object answer{{"token", token},
                               {"expires_at", expires_at},
                               {"user", EncodeUser(*user, *app.catalog().orgs())}};
    std::string now = app.NowText();
    int64_t user_id = user->id;
    app.writer().Submit(
        [token_hash = TokenHash(token), user_id, now, expires_at](storage::Database& db) {
          return storage::InsertToken(db, token_hash, user_id, now, expires_at);
        },
        [respond, answer = std::move(answer)](engine::Status status) {
          if (!status.ok()) return RespondError(respond, status.error());
          respond(JsonResponse(200, answer));
        });
  });
}

void Logout(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  app.writer().Submit([hash = principal->token_hash](
                          storage::Database& db) { return storage::RevokeToken(db, hash); },
                      [respond](engine::Status status) {
                        if (!status.ok()) return RespondError(respond, status.error());
                        Response response;
                        response.status = 204;
                        respond(std::move(response));
                      });
}

void Me(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  respond(JsonResponse(200, EncodeUser(principal->user, *app.catalog().orgs())));
}

}  // namespace

void RegisterIdentityRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/auth/login", [&app](Request request, PathParams, Respond respond) {
    Login(app, std::move(request), std::move(respond));
  });
  router.Add("POST", "/api/v1/auth/logout", [&app](Request request, PathParams, Respond respond) {
    Logout(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/me", [&app](Request request, PathParams, Respond respond) {
    Me(app, std::move(request), std::move(respond));
  });
}

}  // namespace jingsai::api
