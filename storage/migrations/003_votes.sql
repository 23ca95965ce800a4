-- Committee vote sessions over the nominations of a campaign.
CREATE TABLE vote_sessions (
  id INTEGER PRIMARY KEY,
  campaign TEXT NOT NULL REFERENCES campaigns(key),
  title TEXT NOT NULL,
  rules TEXT NOT NULL,           -- the vote stage's rules when the session opened
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_by INTEGER NOT NULL REFERENCES users(id),
  opened_at TEXT NOT NULL,
  closed_by INTEGER REFERENCES users(id),
  closed_at TEXT,
  results TEXT                   -- the tally, once closed
);
CREATE INDEX vote_sessions_by_campaign ON vote_sessions(campaign, id);

CREATE TABLE vote_members (
  session_id INTEGER NOT NULL REFERENCES vote_sessions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (session_id, user_id)
);

CREATE TABLE vote_nominations (
  session_id INTEGER NOT NULL REFERENCES vote_sessions(id),
  item_id INTEGER NOT NULL REFERENCES items(id),
  PRIMARY KEY (session_id, item_id)
);
CREATE INDEX vote_nominations_by_item ON vote_nominations(item_id, session_id);

-- A member's current ballot on one nomination. The nonce keeps the
-- commitment written to the item's history from revealing the choice.
CREATE TABLE ballots (
  session_id INTEGER NOT NULL REFERENCES vote_sessions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  item_id INTEGER NOT NULL REFERENCES items(id),
  choice TEXT NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
  nonce TEXT NOT NULL,
  cast_at TEXT NOT NULL,
  PRIMARY KEY (session_id, user_id, item_id)
);
