-- The append-only, hash-chained audit log of operator, reviewer and system actions.
-- Each row's hash covers its own fields and the previous row's hash (server/audit.server.ts), so
-- editing, deleting or reordering any row breaks the chain at that row; `admin audit:verify` checks it.
--
-- Rows record who did what to which inbox, reviewer or report, a report being named only by its
-- random id (ADR 0010), never by reporter data: no locators, envelopes or anything anyone wrote.
-- Deleting a report (retention, withdrawal, an admin's deletion) appends a `report.delete` row and
-- leaves the report's earlier rows in place: there is deliberately no foreign key to reports, and
-- no cascade.
--
-- A plain rowid table (seq is the rowid): unlike reporter tables, filing order here is the point.

CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
  at         TEXT NOT NULL,            -- precise ISO time: reviewer and operator actions keep it
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  subject    TEXT,                     -- an inbox, reviewer or random report id, or NULL
  detail     TEXT NOT NULL,            -- canonical JSON object (sorted keys), hashed as stored
  prev_hash  TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash       TEXT NOT NULL CHECK (length(hash) = 64)
);

CREATE INDEX audit_log_by_subject ON audit_log(subject, seq);

-- Append-only in the database too, so a bug or a stray SQL session cannot rewrite history. Someone
-- with raw access to the file can drop these; the hash chain is what catches that.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;

-- An insert must extend the chain: the next seq, linked to the current head.
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE(
       (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: an insert must extend the chain');
END;
