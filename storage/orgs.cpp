#include "storage/orgs.h"

namespace jingsai::storage {

engine::Result<engine::OrgTree> LoadOrgs(Database& db) {
  // Ids grow with insertion and a parent always exists before its child.
  Query query = db.Prepare("SELECT id, code, name, level, parent_id FROM orgs ORDER BY id");
  engine::OrgTree tree;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) break;
    engine::Org org;
    org.id = query->Int(0);
    org.code = query->Text(1);
    org.name = query->Text(2);
    org.level = engine::ParseOrgLevel(query->Text(3)).value_or(engine::OrgLevel::kUnit);
    if (!query->IsNull(4)) org.parent_id = query->Int(4);
    tree.Add(std::move(org));
  }
  return tree;
}

engine::Result<int64_t> InsertOrg(Database& db, const engine::Org& org, std::string_view at) {
  Query query = db.Prepare(
      "INSERT INTO orgs (code, name, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?)");
  query->Bind(1, org.code).Bind(2, org.name).Bind(3, engine::OrgLevelName(org.level)).Bind(5, at);
  if (org.parent_id) {
    query->Bind(4, *org.parent_id);
  } else {
    query->BindNull(4);
  }
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  return db.LastInsertId();
}

}  // namespace jingsai::storage
