#include "storage/users.h"

namespace jingsai::storage {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, username, display_name, password_hash, disabled, created_at FROM users ";

UserRecord ReadUser(const Statement& row) {
  UserRecord user;
  user.id = row.Int(0);
  user.username = row.Text(1);
  user.display_name = row.Text(2);
  user.password_hash = row.Text(3);
  user.disabled = row.Int(4) != 0;
  user.created_at = row.Text(5);
  return user;
}

engine::Status LoadRoles(Database& db, UserRecord& user) {
  Query query = db.Prepare("SELECT role, org_id FROM user_roles WHERE user_id = ? ORDER BY org_id");
  query->Bind(1, user.id);
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return engine::Ok{};
    user.roles.push_back({query->Text(0), query->Int(1)});
  }
}

// Runs a query expected to give at most one user row, with roles.
engine::Result<std::optional<UserRecord>> ReadOneUser(Database& db, Query& query) {
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<UserRecord>();
  UserRecord user = ReadUser(*query);
  query->Reset();
  if (engine::Status status = LoadRoles(db, user); !status.ok()) return std::move(status).error();
  return std::optional<UserRecord>(std::move(user));
}

engine::Status InsertRoles(Database& db, int64_t user_id,
                           const std::vector<engine::RoleBinding>& roles) {
  for (const engine::RoleBinding& role : roles) {
    Query query =
        db.Prepare("INSERT OR IGNORE INTO user_roles (user_id, role, org_id) VALUES (?, ?, ?)");
    query->Bind(1, user_id).Bind(2, role.role).Bind(3, role.org_id);
    if (engine::Status status = query->Run(); !status.ok()) return status;
  }
  return engine::Ok{};
}

}  // namespace

engine::Result<int64_t> InsertUser(Database& db, const UserRecord& user) {
  {
    Query query = db.Prepare(
        "INSERT INTO users (username, display_name, password_hash, disabled, created_at) "
        "VALUES (?, ?, ?, ?, ?)");
    query->Bind(1, user.username)
        .Bind(2, user.display_name)
        .Bind(3, user.password_hash)
        .Bind(4, user.disabled ? 1 : 0)
        .Bind(5, user.created_at);
    if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  }
  int64_t id = db.LastInsertId();
  if (engine::Status status = InsertRoles(db, id, user.roles); !status.ok()) {
    return std::move(status).error();
  }
  return id;
}

engine::Status UpdateUser(Database& db, const UserRecord& user) {
  {
    Query query = db.Prepare(
        "UPDATE users SET display_name = ?, password_hash = ?, disabled = ? WHERE id = ?");
    query->Bind(1, user.display_name)
        .Bind(2, user.password_hash)
        .Bind(3, user.disabled ? 1 : 0)
        .Bind(4, user.id);
    if (engine::Status status = query->Run(); !status.ok()) return status;
  }
  {
    Query query = db.Prepare("DELETE FROM user_roles WHERE user_id = ?");
    query->Bind(1, user.id);
    if (engine::Status status = query->Run(); !status.ok()) return status;
  }
  return InsertRoles(db, user.id, user.roles);
}

engine::Status RevokeUserTokens(Database& db, int64_t user_id) {
  Query query = db.Prepare("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0");
  query->Bind(1, user_id);
  return query->Run();
}

engine::Result<std::optional<UserRecord>> FindUserByName(Database& db, std::string_view username) {
  Query query = db.Prepare(std::string(kUserColumns) + "WHERE username = ?");
  query->Bind(1, username);
  return ReadOneUser(db, query);
}

engine::Result<std::optional<UserRecord>> FindUserById(Database& db, int64_t id) {
  Query query = db.Prepare(std::string(kUserColumns) + "WHERE id = ?");
  query->Bind(1, id);
  return ReadOneUser(db, query);
}

engine::Result<std::vector<UserRecord>> ListUsers(Database& db) {
  std::vector<UserRecord> users;
  {
    Query query = db.Prepare(std::string(kUserColumns) + "ORDER BY id");
    for (;;) {
      engine::Result<bool> row = query->Step();
      if (!row.ok()) return std::move(row).error();
      if (!row.value()) break;
      users.push_back(ReadUser(*query));
    }
  }
  for (UserRecord& user : users) {
    if (engine::Status status = LoadRoles(db, user); !status.ok()) return std::move(status).error();
  }
  return users;
}

engine::Status InsertToken(Database& db, std::string_view token_hash, int64_t user_id,
                           std::string_view created_at, std::string_view expires_at) {
  Query query = db.Prepare(
      "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  query->Bind(1, token_hash).Bind(2, user_id).Bind(3, created_at).Bind(4, expires_at);
  return query->Run();
}

engine::Result<std::optional<UserRecord>> FindUserByToken(Database& db, std::string_view token_hash,
                                                          std::string_view now) {
  // Timestamps are fixed-width ISO-8601 UTC, so text order is time order.
  Query query = db.Prepare(
      "SELECT u.id, u.username, u.display_name, u.password_hash, u.disabled, u.created_at "
      "FROM tokens t JOIN users u ON u.id = t.user_id "
      "WHERE t.token_hash = ? AND t.revoked = 0 AND t.expires_at > ? AND u.disabled = 0");
  query->Bind(1, token_hash).Bind(2, now);
  return ReadOneUser(db, query);
}

engine::Result<std::optional<std::string>> TokenExpiry(Database& db, std::string_view token_hash) {
  Query query = db.Prepare("SELECT expires_at FROM tokens WHERE token_hash = ?");
  query->Bind(1, token_hash);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<std::string>();
  return std::optional<std::string>(query->Text(0));
}

engine::Status RevokeToken(Database& db, std::string_view token_hash) {
  Query query = db.Prepare("UPDATE tokens SET revoked = 1 WHERE token_hash = ?");
  query->Bind(1, token_hash);
  return query->Run();
}

engine::Result<int64_t> CountUsers(Database& db) {
  Query query = db.Prepare("SELECT COUNT(*) FROM users");
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  return query->Int(0);
}

engine::Result<std::vector<int64_t>> UsersWithRoleAt(Database& db, std::string_view role,
                                                     int64_t org_id) {
  Query query = db.Prepare(
      "SELECT r.user_id FROM user_roles r JOIN users u ON u.id = r.user_id "
      "WHERE r.role = ? AND r.org_id = ? AND u.disabled = 0 ORDER BY r.user_id");
  query->Bind(1, role).Bind(2, org_id);
  std::vector<int64_t> ids;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return ids;
    ids.push_back(query->Int(0));
  }
}

}  // namespace jingsai::storage
