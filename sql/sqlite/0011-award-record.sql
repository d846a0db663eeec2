-- 0011: the award record as the system of record (issue 17).
-- Award history has two lawful sources: the ledger (a decision of Thi đua)
-- and an administrator's import of what was decided before Thi đua. Each
-- row says which, and an imported row says who imported it, when, and
-- from which file (its SHA-256). Rows already there: those the ledger
-- holds an award entry for are 'ledger', the rest 'import' (stamped
-- "before 0011": who and which file were not recorded then).
ALTER TABLE awards ADD COLUMN source TEXT NOT NULL DEFAULT 'import'
	CHECK (source IN ('ledger', 'import'));
ALTER TABLE awards ADD COLUMN imported_by TEXT;
ALTER TABLE awards ADD COLUMN imported_at TEXT;		-- UTC, YYYY-MM-DDTHH:MM:SSZ
ALTER TABLE awards ADD COLUMN import_file TEXT;
ALTER TABLE awards ADD COLUMN import_sha256 TEXT;	-- hex SHA-256 of the file
UPDATE awards SET source = 'ledger' WHERE EXISTS (
	SELECT 1 FROM ledger l JOIN subjects s ON s.code = l.subject
	WHERE l.kind = 'award' AND l.year = awards.year
	AND s.id = awards.subject_id AND l.award = awards.award);
-- The audit trail is append-only, like the ledger.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit entries are never updated (append-only)');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit entries are never deleted (append-only)');
END;
UPDATE generations SET n = random() WHERE name = 'elig';
