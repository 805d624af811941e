-- Marks uploads the server stored from a form posted without JavaScript. They wait for their
-- report for an hour, timed in memory only so that nothing on disk dates them; after a restart
-- the server cannot know their hour, so unattached ones are deleted at once (decision 20).
-- Their padded size is the largest file until they finish, so the daily quota of unattached
-- bytes counts what they received instead.

ALTER TABLE blobs ADD COLUMN plain INTEGER NOT NULL DEFAULT 0 CHECK (plain IN (0, 1));
