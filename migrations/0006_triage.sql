-- Triage: who handles a report, where it stands against its deadlines, what each reviewer has
-- seen, a reporter's request to withdraw, and how long closed reports are kept.
-- Every column here is a reviewer action or a day; none of it is what the reporter wrote.

ALTER TABLE reports ADD COLUMN assignee_id TEXT REFERENCES reviewers(id) ON DELETE SET NULL;
-- The 7-day clock stops on the first reply or an explicit acknowledgement.
ALTER TABLE reports ADD COLUMN acknowledged_day TEXT;
-- The 3-month clock stops on the first reply sent once the report is past acknowledgement.
ALTER TABLE reports ADD COLUMN feedback_day TEXT;
ALTER TABLE reports ADD COLUMN closed_day TEXT;
ALTER TABLE reports ADD COLUMN outcome TEXT
  CHECK (outcome IS NULL OR outcome IN ('action-taken', 'no-further-action', 'not-enough-information', 'resolved-informally'));
-- Reporter-side, so kept to the day like every other reporter time.
ALTER TABLE reports ADD COLUMN withdrawal_requested_day TEXT;
ALTER TABLE reports ADD COLUMN withdrawal_declined_day TEXT;

ALTER TABLE inboxes ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 365
  CHECK (retention_days BETWEEN 30 AND 3650);

-- The highest message each reviewer has seen per report: an unread mark is a report never
-- opened, or one with a reporter message beyond this.
CREATE TABLE report_reads (
  reviewer_id TEXT NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  report_id   TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  seen_seq    INTEGER NOT NULL CHECK (seen_seq >= 0),
  PRIMARY KEY (reviewer_id, report_id)
) WITHOUT ROWID;
CREATE INDEX report_reads_by_report ON report_reads(report_id);

-- A reviewer's opt-in, content-free email digest. The address is the reviewer's own work
-- address, given by them; no reporter address is ever stored (ADR 0013).
CREATE TABLE reviewer_digests (
  reviewer_id  TEXT PRIMARY KEY REFERENCES reviewers(id) ON DELETE CASCADE,
  email        TEXT NOT NULL,
  every        TEXT NOT NULL CHECK (every IN ('hourly', 'daily', 'weekly')),
  last_sent_at TEXT,
  last_counts  TEXT                      -- the counts last sent, so the same news is not resent
) WITHOUT ROWID;

CREATE INDEX reports_closed ON reports(closed_day) WHERE closed_day IS NOT NULL;
