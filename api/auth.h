// Authentication: Argon2id password hashes (libsodium), opaque bearer tokens
// stored only as their SHA-256, and the Principal behind a request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/app.h"
#include "api/http_types.h"
#include "engine/actor.h"
#include "engine/result.h"
#include "storage/records.h"

namespace jingsai::api {

// Argon2id in libsodium's self-describing string format, at libsodium's
// "interactive" cost. Tests may lower the cost for the whole process: the
// algorithm and format stay the same, only the work factor drops.
std::string HashPassword(std::string_view password);
void UseMinimalPasswordCostForTests();
bool VerifyPassword(std::string_view hash, std::string_view password);
// How many Argon2 verifications this process has run: lets tests check that
// every login attempt, whether the username exists or not, costs one.
uint64_t PasswordVerificationCount();

// 32 random bytes as hex: what the client holds. Only TokenHash is stored.
std::string NewToken();
std::string TokenHash(std::string_view token);

// A printable random password for the bootstrap admin.
std::string NewPassword();

struct Principal {
  storage::UserRecord user;
  engine::Actor actor;
  std::string token_hash;

  bool IsAdmin() const;
};

// The user behind the request's bearer token; kUnauthenticated when there is
// none, or it is unknown, expired or revoked.
engine::Result<Principal> Authenticate(App& app, const Request& request);

engine::Actor ActorOf(const storage::UserRecord& user);

}  // namespace jingsai::api
