-- An inbox keeps the items it has shown, rendered, by their stamp (id,
-- version, flow version, history seq): with the stamp in the stage index, a
-- walk of an inbox answers which items and in which state from the index
-- alone, and reads a row only for an item it has not shown in that state yet.
DROP INDEX items_by_kind_county_stage;
CREATE INDEX items_by_kind_county_stage
  ON items(kind, county_scope_id, stage, id, flow_key, version, flow_version, history_seq);
