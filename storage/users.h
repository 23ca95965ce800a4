// Users, their roles, and their bearer tokens (stored only as hashes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "storage/records.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Inserts the user and their roles; returns the new id, kConflict when the
// username exists.
engine::Result<int64_t> InsertUser(Database& db, const UserRecord& user);

// Writes display name, password hash, disabled and the roles (replaced).
engine::Status UpdateUser(Database& db, const UserRecord& user);
// Revokes every live token of the user (on disabling, or a password change).
engine::Status RevokeUserTokens(Database& db, int64_t user_id);

engine::Result<std::optional<UserRecord>> FindUserByName(Database& db, std::string_view username);
engine::Result<std::optional<UserRecord>> FindUserById(Database& db, int64_t id);
engine::Result<std::vector<UserRecord>> ListUsers(Database& db);

engine::Status InsertToken(Database& db, std::string_view token_hash, int64_t user_id,
                           std::string_view created_at, std::string_view expires_at);

// The user behind a token that is neither expired (at `now`), revoked, nor
// belongs to a disabled user.
engine::Result<std::optional<UserRecord>> FindUserByToken(Database& db, std::string_view token_hash,
                                                          std::string_view now);

// When the token expires (ISO time), if it exists.
engine::Result<std::optional<std::string>> TokenExpiry(Database& db, std::string_view token_hash);

engine::Status RevokeToken(Database& db, std::string_view token_hash);

// How many users exist; the bootstrap creates the admin only when none do.
engine::Result<int64_t> CountUsers(Database& db);

// Enabled users holding `role` at exactly `org_id`, by id.
engine::Result<std::vector<int64_t>> UsersWithRoleAt(Database& db, std::string_view role,
                                                     int64_t org_id);

}  // namespace jingsai::storage
