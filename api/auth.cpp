#include "api/auth.h"

#include <sodium.h>

#include <atomic>
#include <stdexcept>

#include "storage/sha256.h"
#include "storage/users.h"

namespace jingsai::api {

namespace {
std::atomic<bool> minimal_cost{false};
std::atomic<uint64_t> verifications{0};
}  // namespace

void UseMinimalPasswordCostForTests() { minimal_cost = true; }

std::string HashPassword(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  bool minimal = minimal_cost.load();
  unsigned long long ops =
      minimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t memory = minimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), ops, memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return hash;
}

uint64_t PasswordVerificationCount() { return verifications.load(); }

bool VerifyPassword(std::string_view hash, std::string_view password) {
  ++verifications;
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string TokenHash(std::string_view token) { return storage::Sha256Hex(token); }

std::string NewPassword() {
  // No look-alike characters (0/O, 1/l/I), so it can be read off a log.
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 16; ++i) {
    password += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return password;
}

bool Principal::IsAdmin() const { return actor.HasRole(engine::kRoleAdmin); }

engine::Actor ActorOf(const storage::UserRecord& user) {
  return engine::Actor{user.id, user.username, user.roles};
}

engine::Result<Principal> Authenticate(App& app, const Request& request) {
  std::optional<std::string> header = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || header->size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header->begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return engine::Error::Unauthenticated("请先登录");
  }
  // RFC 9110 allows more than one space after the scheme.
  std::string_view token = std::string_view(*header).substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) return engine::Error::Unauthenticated("请先登录");
  std::string token_hash = TokenHash(token);
  std::string now = app.NowText();
  std::optional<storage::UserRecord> user = app.auth_cache().Find(token_hash, now);
  if (!user) {
    uint64_t generation = app.auth_cache().generation();
    storage::ReaderPool::Lease db = app.readers().Acquire();
    engine::Result<std::optional<storage::UserRecord>> found =
        storage::FindUserByToken(*db, token_hash, now);
    if (!found.ok()) return std::move(found).error();
    if (!found.value()) return engine::Error::Unauthenticated("登录已失效，请重新登录");
    engine::Result<std::optional<std::string>> expires = storage::TokenExpiry(*db, token_hash);
    if (!expires.ok()) return std::move(expires).error();
    user = std::move(*found.value());
    if (expires.value()) app.auth_cache().Put(token_hash, *user, *expires.value(), generation);
  }
  Principal principal{std::move(*user), {}, std::move(token_hash)};
  principal.actor = ActorOf(principal.user);
  return principal;
}

std::optional<storage::UserRecord> AuthCache::Find(const std::string& token_hash,
                                                   const std::string& now) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  const Entry& entry = it->second;
  // Timestamps are fixed-width ISO-8601 UTC, so text order is time order.
  if (entry.generation != generation_.load() || !(entry.expires_at > now) ||
      std::chrono::steady_clock::now() - entry.read_at > kMaxAge) {
    return std::nullopt;
  }
  return entry.user;
}

void AuthCache::Put(const std::string& token_hash, storage::UserRecord user, std::string expires_at,
                    uint64_t generation) {
  std::unique_lock lock(mutex_);
  if (generation != generation_.load()) return;  // read before a change was committed
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[token_hash] =
      Entry{std::move(user), std::move(expires_at), generation, std::chrono::steady_clock::now()};
}

void AuthCache::Invalidate() {
  std::unique_lock lock(mutex_);
  generation_.fetch_add(1);
  entries_.clear();
}

}  // namespace jingsai::api
