-- Indexes for lists that stay fast with a million reports: each lets a
-- query walk items in id order from an equality prefix, reading only the
-- page it returns instead of sorting a whole stage or subtree.
--
-- The city's inbox: every item at a stage, oldest first.
CREATE INDEX items_by_flow_stage ON items(flow_key, stage, id);
-- A county's (or the city's own) subtree, newest first, with or without a
-- stage filter; a subtree spanning several county scopes is read scope by
-- scope and merged.
CREATE INDEX items_by_kind_county ON items(kind, county_scope_id, id);
CREATE INDEX items_by_kind_county_stage ON items(kind, county_scope_id, stage, id);
