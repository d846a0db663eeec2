-- 0011: the award record as the system of record (see
-- sql/sqlite/0011-award-record.sql).
ALTER TABLE awards ADD COLUMN source TEXT NOT NULL DEFAULT 'import'
	CHECK (source IN ('ledger', 'import'));
ALTER TABLE awards ADD COLUMN imported_by TEXT;
ALTER TABLE awards ADD COLUMN imported_at TEXT;
ALTER TABLE awards ADD COLUMN import_file TEXT;
ALTER TABLE awards ADD COLUMN import_sha256 TEXT;
UPDATE awards SET source = 'ledger' WHERE EXISTS (
	SELECT 1 FROM ledger l JOIN subjects s ON s.code = l.subject
	WHERE l.kind = 'award' AND l.year = awards.year
	AND s.id = awards.subject_id AND l.award = awards.award);
-- The audit trail is append-only, like the ledger (ledger_append_only()
-- of 0006 raises).
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
UPDATE generations SET n = (random() * 9.0e18)::bigint WHERE name = 'elig';
