-- Evidence files, stored once each, addressed by their SHA-256.
CREATE TABLE blobs (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL
);

-- A file attached to an item, with what it proves. Removal is recorded, not erased.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  filename TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('photo', 'document', 'certificate', 'patent_receipt')),
  ref TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  removed_at TEXT,
  removed_by INTEGER REFERENCES users(id)
);
CREATE INDEX evidence_by_item ON evidence(item_id, id);
CREATE INDEX evidence_by_sha256 ON evidence(sha256);

-- What an item held when it was returned, so the reviewer can see what changed.
CREATE TABLE snapshots (
  item_id INTEGER NOT NULL REFERENCES items(id),
  seq INTEGER NOT NULL,  -- the history row of the return
  data TEXT NOT NULL,
  evidence TEXT NOT NULL,  -- JSON array of {sha256, filename, kind, ref}
  PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

-- Indicator totals of approved reports, kept as reports are approved, per
-- campaign and county scope (the root for city-direct units).
CREATE TABLE progress_totals (
  campaign TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  indicator TEXT NOT NULL,
  total INTEGER NOT NULL,
  PRIMARY KEY (campaign, org_id, indicator)
) WITHOUT ROWID;
