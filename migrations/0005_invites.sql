-- Inviting reviewers, approving them into inboxes, and rotating an inbox's key after a removal.
-- The server records intent only: membership itself still needs a member's browser to seal keys.

-- A one-time invitation link; as with setup_tokens, only a hash of the token is kept.
CREATE TABLE invites (
  token_hash   TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
  created_by   TEXT NOT NULL,             -- the inviting admin's reviewer id
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,             -- 72 h after created_at
  used_at      TEXT
) WITHOUT ROWID;

-- The inboxes an invitee asks to join once enrolled.
CREATE TABLE invite_inboxes (
  token_hash TEXT NOT NULL REFERENCES invites(token_hash) ON DELETE CASCADE,
  inbox_id   TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  PRIMARY KEY (token_hash, inbox_id)
) WITHOUT ROWID;

-- A reviewer waiting for a member of the inbox to seal its keys to them.
CREATE TABLE membership_requests (
  inbox_id     TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  reviewer_id  TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  requested_at TEXT NOT NULL,
  decided      TEXT CHECK (decided IN ('approved', 'declined')),  -- NULL while pending
  decided_by   TEXT,
  decided_at   TEXT,
  PRIMARY KEY (inbox_id, reviewer_id)
) WITHOUT ROWID;

-- Inboxes whose current key a removed reviewer could open: the next member with unlocked keys
-- makes a new version. Cleared by that rotation.
CREATE TABLE rotation_due (
  inbox_id TEXT PRIMARY KEY REFERENCES inboxes(id) ON DELETE CASCADE,
  since    TEXT NOT NULL
) WITHOUT ROWID;
