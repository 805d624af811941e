-- Reviewers and their custody of keys. The server holds public keys and wraps only: every secret
-- key here is sealed or secretboxed to something only a reviewer's browser can produce.

CREATE TABLE reviewers (
  id               TEXT PRIMARY KEY,
  display_name     TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
  box_pk           TEXT NOT NULL,            -- R.pk (X25519)
  recovery_wrap    TEXT NOT NULL,            -- secretbox(R.sk, key from the printed recovery key)
  webauthn_user_id TEXT NOT NULL UNIQUE,     -- random handle, never the name
  created_at       TEXT NOT NULL,
  removed_at       TEXT
) WITHOUT ROWID;

CREATE TABLE passkeys (
  id              TEXT PRIMARY KEY,          -- credential id, base64url
  reviewer_id     TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  public_key      TEXT NOT NULL,             -- COSE key, base64url
  counter         INTEGER NOT NULL CHECK (counter >= 0),
  transports      TEXT NOT NULL DEFAULT '[]',
  unlock          TEXT NOT NULL CHECK (unlock IN ('prf', 'passphrase')),
  key_wrap        TEXT NOT NULL,             -- secretbox(R.sk, wrapKey of this passkey)
  passphrase_salt TEXT,                      -- Argon2id salt when unlock = 'passphrase'
  created_at      TEXT NOT NULL,
  last_used_at    TEXT
) WITHOUT ROWID;

CREATE INDEX passkeys_by_reviewer ON passkeys(reviewer_id);

CREATE TABLE inbox_members (
  inbox_id    TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
  reviewer_id TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  added_at    TEXT NOT NULL,
  PRIMARY KEY (inbox_id, reviewer_id)
) WITHOUT ROWID;

CREATE TABLE inbox_key_wraps (
  inbox_id     TEXT NOT NULL,
  key_version  INTEGER NOT NULL,
  reviewer_id  TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  box_sk_wrap  TEXT NOT NULL,                -- seal(I.sk, R.pk)
  sign_sk_wrap TEXT NOT NULL,                -- seal(S.sk, R.pk)
  PRIMARY KEY (inbox_id, key_version, reviewer_id),
  FOREIGN KEY (inbox_id, key_version) REFERENCES inbox_keys(inbox_id, key_version) ON DELETE CASCADE
) WITHOUT ROWID;

-- One-time links for the first admin; only a hash of the token is kept.
CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL,
  used_at    TEXT
) WITHOUT ROWID;
