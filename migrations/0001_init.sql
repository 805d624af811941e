-- Candour's first schema. Reporter-side rows hold opaque values and a day, nothing more.
-- Random text ids and WITHOUT ROWID tables, so row order on disk does not reveal filing order.

CREATE TABLE inboxes (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  sign_pk      TEXT NOT NULL,           -- inbox identity S.pk (Ed25519)
  custody      TEXT NOT NULL CHECK (custody IN ('offline', 'members')),
  created_at   TEXT NOT NULL            -- operator action: precise time is fine
) WITHOUT ROWID;

CREATE TABLE inbox_keys (
  inbox_id     TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  key_version  INTEGER NOT NULL CHECK (key_version >= 1),
  box_pk       TEXT NOT NULL,           -- I.pk (X25519)
  signature    TEXT NOT NULL,           -- sign(S, I.pk ‖ version)
  created_at   TEXT NOT NULL,
  PRIMARY KEY (inbox_id, key_version)
) WITHOUT ROWID;

CREATE TABLE reports (
  id           TEXT PRIMARY KEY,
  inbox_id     TEXT NOT NULL,
  key_version  INTEGER NOT NULL,
  envelope     TEXT NOT NULL,           -- the first sealed message
  locator      TEXT NOT NULL UNIQUE,
  sign_pk      TEXT NOT NULL,
  box_pk       TEXT NOT NULL,
  self_note    TEXT NOT NULL,
  received_day TEXT NOT NULL CHECK (received_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status       TEXT NOT NULL DEFAULT 'received'
               CHECK (status IN ('received', 'acknowledged', 'assessing', 'investigating', 'referred', 'closed')),
  FOREIGN KEY (inbox_id, key_version) REFERENCES inbox_keys(inbox_id, key_version)
) WITHOUT ROWID;

CREATE INDEX reports_by_inbox ON reports(inbox_id);

CREATE TABLE messages (
  report_id    TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL CHECK (seq >= 1),
  author_kind  TEXT NOT NULL CHECK (author_kind IN ('reporter', 'reviewer', 'note')),
  key_version  INTEGER NOT NULL,
  envelope     TEXT NOT NULL,
  created_day  TEXT NOT NULL CHECK (created_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  PRIMARY KEY (report_id, seq)
) WITHOUT ROWID;
