-- Evidence files: opaque ciphertext under DATA_DIR/blobs/<id>, padded to a size bucket. The
-- name, type, true size and key travel only inside the sealed message that names the blob.

CREATE TABLE blobs (
  id          TEXT PRIMARY KEY,                 -- random; also the file's name on disk
  token_hash  TEXT,                             -- SHA-256 of the uploader's capability; NULL once attached
  report_id   TEXT REFERENCES reports(id) ON DELETE CASCADE,  -- NULL until a stored message names it
  padded_size INTEGER NOT NULL CHECK (padded_size > 0),
  received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= padded_size),
  created_day TEXT NOT NULL CHECK (created_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;

CREATE INDEX blobs_by_report ON blobs(report_id);
