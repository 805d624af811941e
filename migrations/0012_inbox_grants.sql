-- Grants (ADR 0032): when a member approves a newcomer, their browser vouches for the inbox's
-- identity key with a crypto_box from the approver's R.sk to the newcomer's R.pk. Only the
-- newcomer can check it, against the approver's R.pk, on first sight of the inbox; the server
-- keeps it and hands it back, and cannot make one.

CREATE TABLE inbox_grants (
  inbox_id    TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  reviewer_id TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,  -- the newcomer
  granted_by  TEXT NOT NULL REFERENCES reviewers(id),                    -- the approver
  grant_box   TEXT NOT NULL,                                             -- nonce ‖ crypto_box, 72 bytes
  PRIMARY KEY (inbox_id, reviewer_id)
) WITHOUT ROWID;

-- A grant lasts as long as the membership it let in.
CREATE TRIGGER inbox_grants_follow_membership AFTER DELETE ON inbox_members
BEGIN
  DELETE FROM inbox_grants WHERE reviewer_id = OLD.reviewer_id AND inbox_id = OLD.inbox_id;
END;
