-- The key log (docs/protocol.md, "v2 · The key log"): every key event of an inbox, each entry
-- signed in a member's browser by the inbox identity in force and naming the hash of the entry
-- before. The server stores and serves entries; it can withhold or fork them, never make one.
-- Entries are public, and no time is kept: the order is the log's own.

CREATE TABLE key_log (
  inbox_id TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  pos      INTEGER NOT NULL CHECK (pos >= 0),
  entry    TEXT NOT NULL,             -- the entry's JSON, exactly as its signer sent it
  PRIMARY KEY (inbox_id, pos)
) WITHOUT ROWID;
