// Login, logout and the current user.
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>

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

// Failed logins per username and per client address, so that passwords
// cannot be guessed at speed: after too many failures within kWindow, further
// attempts on that username (or from that address) are refused (429) until
// the window has passed. An address gets more room than a username, since a
// whole office may share one. Keyed by database as well, since one process
// may serve several. Thread-safe.
class LoginThrottle {
 public:
  static constexpr int kMaxFailuresPerUser = 10;
  static constexpr int kMaxFailuresPerAddress = 50;
  static constexpr std::chrono::minutes kWindow{15};
  static constexpr size_t kSweepAbove = 10000;

  bool Blocked(const std::string& key, engine::TimePoint now, int max_failures) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = failures_.find(key);
    if (found == failures_.end()) return false;
    if (now - found->second.since >= kWindow) {
      failures_.erase(found);
      return false;
    }
    return found->second.count >= max_failures;
  }

  void Failed(const std::string& key, engine::TimePoint now) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Guessing at many usernames must not grow the map without bound.
    if (failures_.size() >= kSweepAbove) {
      std::erase_if(failures_,
                    [now](const auto& entry) { return now - entry.second.since >= kWindow; });
    }
    auto [entry, inserted] = failures_.try_emplace(key, Entry{0, now});
    if (!inserted && now - entry->second.since >= kWindow) entry->second = Entry{0, now};
    ++entry->second.count;
  }

  void Succeeded(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.erase(key);
  }

 private:
  struct Entry {
    int count;
    engine::TimePoint since;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> failures_;  // guarded by mutex_
};

LoginThrottle& Throttle() {
  static LoginThrottle throttle;
  return throttle;
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
  app.RunBlocking([&app, username, password, address = request.client_address, respond]() {
    const std::string throttle_key = app.config().db_path + "\nuser\n" + username;
    const std::string address_key = app.config().db_path + "\naddress\n" + address;
    if (Throttle().Blocked(throttle_key, app.Now(), LoginThrottle::kMaxFailuresPerUser) ||
        Throttle().Blocked(address_key, app.Now(), LoginThrottle::kMaxFailuresPerAddress)) {
      Response limited = ErrorResponse(
          engine::Error{engine::ErrorCode::kRateLimited, "登录失败次数过多，请 15 分钟后再试", {}});
      // At most the window: a client that waits this long may try again.
      limited.headers.emplace_back(
          "Retry-After",
          std::to_string(
              std::chrono::duration_cast<std::chrono::seconds>(LoginThrottle::kWindow).count()));
      return respond(std::move(limited));
    }
    engine::Result<std::optional<storage::UserRecord>> found =
        storage::FindUserByName(*app.readers().Acquire(), username);
    if (!found.ok()) return RespondError(respond, found.error());
    const std::optional<storage::UserRecord>& user = found.value();
    bool verified = VerifyPassword(user ? user->password_hash : DummyHash(), password);
    if (!user || !verified || user->disabled) {
      Throttle().Failed(throttle_key, app.Now());
      Throttle().Failed(address_key, app.Now());
      return RespondError(respond, engine::Error::Unauthenticated("用户名或密码错误"));
    }
    Throttle().Succeeded(throttle_key);
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
                      [&app, respond](engine::Status status) {
                        if (!status.ok()) return RespondError(respond, status.error());
                        app.auth_cache().Invalidate();
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
