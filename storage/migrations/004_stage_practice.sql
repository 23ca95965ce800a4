-- Review practice on items: the decisions of a multi-approver stage, the
-- reviewer an item was handed over to, and when its current stage is due.
ALTER TABLE items ADD COLUMN decisions TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN assignee_id INTEGER REFERENCES users(id);
ALTER TABLE items ADD COLUMN due_at TEXT;
CREATE INDEX items_by_due ON items(due_at, id) WHERE due_at IS NOT NULL;
