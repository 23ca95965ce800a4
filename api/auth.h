// Authentication: Argon2id password hashes (libsodium), opaque bearer tokens
// stored only as their SHA-256, and the Principal behind a request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

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

// Token -> user lookups that skip the database. An entry is used only while
// its token has not expired, for at most kMaxAge (another server on the same
// database may revoke it), and while nothing that could change it (logout, a
// user disabled, their roles or password changed) has been committed since
// it was read: such commits call Invalidate(), which bumps the generation
// every entry carries. Misses are not cached.
//
// Thread-safety: every member may be called from any thread.
class AuthCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{2};
  static constexpr size_t kMaxEntries = 20000;

  std::optional<storage::UserRecord> Find(const std::string& token_hash,
                                          const std::string& now) const;
  // Read before the lookup whose result is put.
  uint64_t generation() const { return generation_.load(); }
  // Keeps the entry only if nothing was invalidated since `generation`.
  void Put(const std::string& token_hash, storage::UserRecord user, std::string expires_at,
           uint64_t generation);
  // Call after committing a change to tokens, users or roles.
  void Invalidate();

 private:
  struct Entry {
    storage::UserRecord user;
    std::string expires_at;
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point read_at;
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
  std::atomic<uint64_t> generation_{0};
};

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
