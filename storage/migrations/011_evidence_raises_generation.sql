-- The server's writer keeps each item's evidence list in memory and drops
-- it when someone else changed the database, which it learns from the items
-- generation: a change to evidence made elsewhere raises it too. (The
-- writer's own connection runs without triggers and sees its own changes.)
CREATE TRIGGER items_generation_on_evidence_insert AFTER INSERT ON evidence
  BEGIN UPDATE items_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER items_generation_on_evidence_update AFTER UPDATE ON evidence
  BEGIN UPDATE items_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER items_generation_on_evidence_delete AFTER DELETE ON evidence
  BEGIN UPDATE items_generation SET generation = generation + 1 WHERE id = 1; END;
