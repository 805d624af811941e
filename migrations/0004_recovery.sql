-- Recovery without a user name: the browser derives a lookup id from the recovery key
-- (BLAKE2b under its own label, crypto/custody.ts recoveryLookupId) and the server keeps only
-- its SHA-256. SQLite cannot add a UNIQUE column in place, so the uniqueness is an index; rows
-- made before this migration stay NULL and cannot be recovered this way.
ALTER TABLE reviewers ADD COLUMN recovery_lookup TEXT;

CREATE UNIQUE INDEX reviewers_by_recovery_lookup ON reviewers(recovery_lookup);
