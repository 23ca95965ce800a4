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
  std::string token_hash = TokenHash(std::string_view(*header).substr(kBearer.size()));
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<std::optional<storage::UserRecord>> user =
      storage::FindUserByToken(*db, token_hash, app.NowText());
  if (!user.ok()) return std::move(user).error();
  if (!user.value()) return engine::Error::Unauthenticated("登录已失效，请重新登录");
  Principal principal{std::move(*user.value()), {}, std::move(token_hash)};
  principal.actor = ActorOf(principal.user);
  return principal;
}

}  // namespace jingsai::api
