-- Chained threads (docs/protocol.md, "v2 · Chained threads"): every v2 message names the link of
-- the one before it. When an admin deletes a message a reporter can see, its link stays here, so
-- the message after it still finds its place and the reader is shown a deletion, not a gap.
-- Only the link (a hash of the sealed body) and the number are kept: nothing that opens.

CREATE TABLE message_gaps (
  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL CHECK (seq >= 1),
  link      TEXT NOT NULL,
  PRIMARY KEY (report_id, seq)
) WITHOUT ROWID;
