-- History and snapshots were clustered by (item_id, seq) (WITHOUT ROWID): each
-- step inserted its row into the middle of some item's full page, so nearly
-- every batch split pages, and SQLite 3.40 pays for each split that reorders
-- pages with a walk of the writer's whole page cache at commit. Rows are now
-- appended by rowid, onto the table's last page, which the steps of a batch
-- share; an item's rows are found through a unique (item_id, seq) index,
-- whose small entries split a page far less often. Rowids carry no meaning.
-- The old tables' pages go to the free list and are reused by new rows.
CREATE TABLE history_appended (
  id INTEGER PRIMARY KEY,
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
  hash TEXT NOT NULL
);
INSERT INTO history_appended (item_id, seq, at, actor_id, actor, action, from_stage, to_stage,
                              comment, data_hash, prev_hash, hash)
  SELECT item_id, seq, at, actor_id, actor, action, from_stage, to_stage, comment, data_hash,
         prev_hash, hash
  FROM history;
-- The append-only triggers would refuse the old table's implicit delete.
DROP TRIGGER history_is_append_only_update;
DROP TRIGGER history_is_append_only_delete;
DROP TABLE history;
ALTER TABLE history_appended RENAME TO history;
CREATE UNIQUE INDEX history_by_item_seq ON history(item_id, seq);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

CREATE TABLE snapshots_appended (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  seq INTEGER NOT NULL,  -- the history row of the return
  data TEXT NOT NULL,
  evidence TEXT NOT NULL  -- JSON array of {sha256, filename, kind, ref}
);
INSERT INTO snapshots_appended (item_id, seq, data, evidence)
  SELECT item_id, seq, data, evidence FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_appended RENAME TO snapshots;
CREATE UNIQUE INDEX snapshots_by_item_seq ON snapshots(item_id, seq);
