-- Each reviewer's pin of each inbox's identity key S.pk (ADR 0021): a keyed BLAKE2b MAC over the
-- inbox id and S.pk under a key only that reviewer's R.sk gives, made in their browser on first
-- sight and checked on every unlock. The server can store or withhold a pin, never make one.

CREATE TABLE inbox_pins (
  reviewer_id TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  inbox_id    TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  sign_pk     TEXT NOT NULL,            -- the S.pk pinned
  pin         TEXT NOT NULL,            -- MAC(kdf(R.sk, "inboxpin"), inbox id ‖ S.pk)
  created_at  TEXT NOT NULL,            -- reviewer action: precise time is fine
  PRIMARY KEY (reviewer_id, inbox_id)
) WITHOUT ROWID;

-- A pin lasts as long as the membership it belongs to: removal and leaving take it too.
CREATE TRIGGER inbox_pins_follow_membership AFTER DELETE ON inbox_members
BEGIN
  DELETE FROM inbox_pins WHERE reviewer_id = OLD.reviewer_id AND inbox_id = OLD.inbox_id;
END;
