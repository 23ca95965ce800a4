-- The organization tree: city -> county -> unit. Codes are stable identifiers.
CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('city', 'county', 'unit')),
  parent_id INTEGER REFERENCES orgs(id),
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,  -- Argon2id, in libsodium's string format
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (user_id, role, org_id)
) WITHOUT ROWID;
CREATE INDEX user_roles_by_org ON user_roles(org_id, role);

-- Bearer tokens, stored only as their SHA-256.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Flow definitions: immutable once published; a new version is a new row.
CREATE TABLE flows (
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  PRIMARY KEY (key, version)
) WITHOUT ROWID;

CREATE TABLE campaigns (
  key TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Reports and nominations. org_path ("/1/5/23/") answers subtree questions;
-- county_scope_id is where a "county" scope resolves (the root for city-direct
-- units). history_head is the hash of the item's last history row.
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('submission', 'nomination')),
  campaign TEXT NOT NULL REFERENCES campaigns(key),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  org_path TEXT NOT NULL,
  county_scope_id INTEGER NOT NULL REFERENCES orgs(id),
  flow_key TEXT NOT NULL,
  flow_version INTEGER NOT NULL,
  stage TEXT NOT NULL,
  status TEXT NOT NULL,
  last_action TEXT NOT NULL,
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  data TEXT NOT NULL,
  late INTEGER NOT NULL DEFAULT 0,
  first_submitted_at TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  stage_entered_at TEXT NOT NULL,
  history_seq INTEGER NOT NULL,
  history_head TEXT NOT NULL,
  FOREIGN KEY (flow_key, flow_version) REFERENCES flows(key, version)
);
CREATE INDEX items_by_flow_stage_org ON items(flow_key, stage, org_id, id);
CREATE INDEX items_by_flow_stage_county ON items(flow_key, stage, county_scope_id, id);
CREATE INDEX items_by_kind_path ON items(kind, org_path, id);

-- The append-only, hash-chained record of every step of every item.
CREATE TABLE history (
  item_id INTEGER NOT NULL REFERENCES items(id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  comment TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- Answers to POSTs that carried an Idempotency-Key, so that a retry gets the
-- first answer instead of acting twice. Kept per user.
CREATE TABLE idempotency_keys (
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
