-- Idempotency keys are kept for a week and then purged in batches; this index
-- lets the purge find the old keys without reading the whole table.
CREATE INDEX idempotency_keys_by_created ON idempotency_keys(created_at);
