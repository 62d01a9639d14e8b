-- The record tables are partitioned by batch: every import loads its rows into a table of its own
-- (`<kind>_record_<batch id>`), created in the import's transaction and attached as the batch's
-- partition just before it commits (lib/db/partitions.ts). A table created in the loading
-- transaction can be filled with COPY FREEZE, its rows written once, already frozen (no hint bits
-- to set and no vacuum to redo on the first scans) and without WAL when wal_level is minimal. Rows
-- already loaded move to one partition per batch. Columns, defaults and keys are those of the
-- former tables.
DO $$
DECLARE
  t TEXT;
  b INTEGER;
BEGIN
  FOREACH t IN ARRAY ARRAY['population_record', 'enrolment_record', 'department_record', 'elsewhere_record'] LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_unpartitioned');
    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', t || '_unpartitioned', t || '_pkey', t || '_unpartitioned_pkey');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY LIST (batch_id)', t, t || '_unpartitioned');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (batch_id, line_no)', t, t || '_pkey');
    FOR b IN EXECUTE format('SELECT DISTINCT batch_id FROM %I ORDER BY 1', t || '_unpartitioned') LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%s)', t || '_' || b, t, b);
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, t || '_unpartitioned');
    EXECUTE format('DROP TABLE %I', t || '_unpartitioned');
  END LOOP;
END $$;
