-- Every index that holds an item's stage is rewritten by every step, and the
-- steps are the hot writes: one such index now serves every inbox. A county
-- scope's inbox walks (kind, county scope, stage, id), whose trailing flow
-- key answers the flow's filter without reading the rows; the city's merges
-- those walks over the county scopes; a unit's own inbox walks its path.
DROP INDEX items_by_flow_stage_org;
DROP INDEX items_by_flow_stage_county;
DROP INDEX items_by_flow_stage;
DROP INDEX items_by_kind_county_stage;
CREATE INDEX items_by_kind_county_stage ON items(kind, county_scope_id, stage, id, flow_key);
-- The open items of one flow version, for a migration.
CREATE INDEX items_by_flow_version ON items(flow_key, flow_version, id);
