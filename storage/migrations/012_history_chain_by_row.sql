-- An item's history rows and its latest snapshot were found through unique
-- (item_id, seq) indexes. Every step added an entry at the end of its item's
-- range there, so each step of a batch dirtied a page of its own: a third of
-- the pages a batch wrote to the WAL (bench/README.md). Each history row now
-- names the rowid of its item's previous row, and the item names the rowids
-- of its newest history row and of its latest snapshot: an item's history is
-- read by following the links from the item, one rowid lookup per row.
-- (item_id, seq) stays unique by the single writer, which appends only after
-- the item's head, and the hash chain shows any row that is not.
-- Items are never deleted; a hand-written DELETE of one would scan history
-- for its rows (the foreign key) and be refused.
ALTER TABLE history ADD COLUMN prev_row INTEGER;
ALTER TABLE items ADD COLUMN history_row INTEGER;
ALTER TABLE items ADD COLUMN snapshot_row INTEGER;

DROP TRIGGER history_is_append_only_update;
UPDATE history SET prev_row = (
  SELECT earlier.id FROM history AS earlier
  WHERE earlier.item_id = history.item_id AND earlier.seq = history.seq - 1);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

UPDATE items SET
  history_row = (SELECT h.id FROM history AS h WHERE h.item_id = items.id AND h.seq = items.history_seq),
  snapshot_row = (SELECT s.id FROM snapshots AS s WHERE s.item_id = items.id ORDER BY s.seq DESC LIMIT 1);

DROP INDEX history_by_item_seq;
DROP INDEX snapshots_by_item_seq;
