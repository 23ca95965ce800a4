// Secrets: passwords are stored only as Argon2id hashes and tokens only as
// their SHA-256; neither appears in the log; and a login with an unknown
// username runs the same password verification as a wrong password does.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "api/auth.h"
#include "api/bootstrap.h"
#include "storage/sha256.h"
#include "storage/sqlite.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

constexpr const char* kNewPassword = "Qx7-secret-pass";
constexpr const char* kChangedPassword = "Zr9-other-secret";

class Secrets : public ApiTest {
 protected:
  // Every line the server logs from here on, at every level.
  void CaptureLog() {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    std::shared_ptr<spdlog::logger> api = spdlog::get("api");
    ASSERT_NE(api, nullptr);
    api->sinks().push_back(sink_);
    api->set_level(spdlog::level::trace);
    spdlog::default_logger()->sinks().push_back(sink_);
    spdlog::default_logger()->set_level(spdlog::level::trace);
  }

  ~Secrets() override {
    if (!sink_) return;
    for (const std::shared_ptr<spdlog::logger>& logger :
         {spdlog::get("api"), spdlog::default_logger()}) {
      auto& sinks = logger->sinks();
      sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }
  }

  std::vector<std::string> Column(const std::string& sql) {
    auto db = storage::Database::Open(server().db_path(), {});
    EXPECT_TRUE(db.ok());
    std::vector<std::string> values;
    if (!db.ok()) return values;
    storage::Query query = db.value()->Prepare(sql);
    while (query->Step().value()) values.push_back(query->Text(0));
    return values;
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

TEST_F(Secrets, NeitherPasswordsNorTokensReachTheLog) {
  CaptureLog();
  const std::string& admin = Token("admin");
  HttpResult created =
      server().Post("/api/v1/users",
                    {{"username", "new-reviewer"},
                     {"password", kNewPassword},
                     {"display_name", "新审核员"},
                     {"roles", boost::json::array{{{"role", "reviewer"}, {"org", "jiajiang"}}}}},
                    admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string token = server().Login("new-reviewer", kNewPassword);
  EXPECT_EQ(server().Get("/api/v1/me", token).status, 200);
  EXPECT_EQ(
      server().Patch("/api/v1/users/new-reviewer", {{"password", kChangedPassword}}, admin).status,
      200);
  EXPECT_EQ(
      server()
          .Post("/api/v1/auth/login", {{"username", "new-reviewer"}, {"password", kNewPassword}})
          .status,
      401);
  std::string second = server().Login("new-reviewer", kChangedPassword);
  EXPECT_EQ(server().Post("/api/v1/auth/logout", boost::json::object{}, second).status, 204);

  std::string log = log_.str();
  ASSERT_NE(log.find("/api/v1/auth/login"), std::string::npos) << "the requests were logged";
  for (const std::string& secret : {std::string(kNewPassword), std::string(kChangedPassword),
                                    std::string(api::kDemoPassword), admin, token, second}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "logged: " << secret;
  }
}

TEST_F(Secrets, PasswordsAreStoredOnlyAsArgon2idHashes) {
  HttpResult created =
      server().Post("/api/v1/users",
                    {{"username", "hash-check"},
                     {"password", kNewPassword},
                     {"display_name", "哈希检查"},
                     {"roles", boost::json::array{{{"role", "voter"}, {"org", "leshan"}}}}},
                    Token("admin"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::vector<std::string> hashes = Column("SELECT password_hash FROM users");
  ASSERT_GE(hashes.size(), 2u);
  for (const std::string& hash : hashes) {
    EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
    EXPECT_EQ(hash.find(kNewPassword), std::string::npos);
    EXPECT_EQ(hash.find(api::kDemoPassword), std::string::npos);
  }
  EXPECT_EQ(created.body.find("argon2"), std::string::npos) << "hashes are never answered";
}

TEST_F(Secrets, TokensAreStoredOnlyAsTheirSha256) {
  std::string token = Token("voter1");
  std::vector<std::string> stored = Column("SELECT token_hash FROM tokens");
  ASSERT_FALSE(stored.empty());
  EXPECT_NE(std::find(stored.begin(), stored.end(), storage::Sha256Hex(token)), stored.end());
  for (const std::string& hash : stored) EXPECT_NE(hash, token);
}

TEST_F(Secrets, UnknownUsernameRunsTheSamePasswordVerificationAsAWrongPassword) {
  uint64_t before = api::PasswordVerificationCount();
  HttpResult unknown = server().Post("/api/v1/auth/login",
                                     {{"username", "no-such-user"}, {"password", "whatever-1"}});
  uint64_t after_unknown = api::PasswordVerificationCount();
  HttpResult wrong =
      server().Post("/api/v1/auth/login", {{"username", "voter2"}, {"password", "whatever-1"}});
  uint64_t after_wrong = api::PasswordVerificationCount();
  ASSERT_EQ(server().Patch("/api/v1/users/voter3", {{"disabled", true}}, Token("admin")).status,
            200);
  uint64_t before_disabled = api::PasswordVerificationCount();
  HttpResult disabled =
      server().Post("/api/v1/auth/login",
                    {{"username", "voter3"}, {"password", std::string(api::kDemoPassword)}});
  uint64_t after_disabled = api::PasswordVerificationCount();

  EXPECT_EQ(after_unknown - before, 1u) << "an unknown username still costs one verification";
  EXPECT_EQ(after_wrong - after_unknown, 1u);
  EXPECT_EQ(after_disabled - before_disabled, 1u);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(disabled.body, wrong.body);
}

}  // namespace
}  // namespace jingsai::testing
