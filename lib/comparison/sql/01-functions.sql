-- Helper functions of the comparison, created in pg_temp for this session only, so that every rule
-- lives in lib/comparison/sql. All are single-expression SQL functions: PostgreSQL inlines them.
-- PARALLEL SAFE: the run's steps are parallel queries (run.ts), and a call not so marked would
-- keep the whole statement on one core.

-- comparison-rules.md §1 "ID number": the first failed check, NULL when valid. Takes the ID as the
-- importer normalised it (normalise_id: trim, half-width, x→X, 15→18), which is equivalent to
-- id_invalid_reason(id_raw, as_of) on the raw value: a 15-digit input is 18 characters now with a
-- computed (so matching) check character; a 15-character input that is not all digits stays 15
-- characters; every other length is unchanged. Only the last check depends on the run's as-of date.
CREATE FUNCTION pg_temp.cmp_id_reason(id TEXT, as_of_ymd TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(id) NOT IN (15, 18) THEN 'bad_length'
    WHEN length(id) = 15 OR id !~ '^[0-9]{17}[0-9X]$' THEN 'bad_characters'
    WHEN id_check_char(substr(id, 1, 17)) <> substr(id, 18, 1) THEN 'bad_checksum'
    WHEN NOT is_real_ymd(substr(id, 7, 8)) OR substr(id, 7, 8) > as_of_ymd THEN 'bad_birth_date'
  END
$$;

-- The same on the as-of date, from what the importer stored. Only the last check depends on the date,
-- and the importer ran all four (id_invalid_reason) on the import date: a structural reason stands;
-- a row valid then is valid now unless born after the as-of date; anything else (bad_birth_date,
-- which may have been "after the import date", or a mark such as duplicate_id) is checked afresh.
-- Same answer as id_invalid_reason(id_raw, as_of), without 17 digit casts per row.
CREATE FUNCTION pg_temp.cmp_id_reason_on(stored TEXT, id TEXT, as_of_ymd TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN stored IN ('bad_length', 'bad_characters', 'bad_checksum') THEN stored
    WHEN stored IS NULL THEN CASE WHEN substr(id, 7, 8) > as_of_ymd THEN 'bad_birth_date' END
    ELSE pg_temp.cmp_id_reason(coalesce(id, ''), as_of_ymd)
  END
$$;

-- The person key of a valid ID inside a run: its first 17 digits as a number. A valid ID is those
-- digits and the check character they determine, so the key identifies it; and a bigint sorts and
-- hashes far faster than 18 characters of text with a common prefix (sorting the enrolment records
-- of a 1M-person city: 2.6 s against 5.9 s). Key order is ID order. Only ever applied to valid IDs.
CREATE FUNCTION pg_temp.cmp_key(id TEXT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT left(id, 17)::bigint
$$;

-- §1 "Name": trim; full-width → half-width; remove all white space; the middle-dot variants
-- · • ・ . ． become ·. "White space" is JavaScript's \s set (ASCII white space, NBSP, U+1680,
-- U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000, U+FEFF); removing it also trims. ． is
-- half-width "." after half_width(). Choice: every dot variant anywhere in the name becomes ·.
-- A missing name is the empty name.
CREATE FUNCTION pg_temp.cmp_name(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    -- fast path (most names): nothing to change, one scan
    WHEN coalesce(s, '') !~ '[\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff•・.！-～]' THEN coalesce(s, '')
    ELSE translate(
           regexp_replace(half_width(coalesce(s, '')), '[\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', '', 'g'),
           '•・.', '···')
  END
$$;

-- The scheme table of import-formats.md as bits, so that a person's schemes are one integer:
-- pension 110 120 170 (mask 7), medical 310 390 (mask 24), 210 unemployment, 410 work injury,
-- 510 maternity. An unknown code is 0 (never active, never missing).
CREATE FUNCTION pg_temp.cmp_scheme_bit(scheme TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE scheme WHEN '110' THEN 1 WHEN '120' THEN 2 WHEN '170' THEN 4 WHEN '310' THEN 8
                     WHEN '390' THEN 16 WHEN '210' THEN 32 WHEN '410' THEN 64 WHEN '510' THEN 128 ELSE 0 END
$$;

-- A scheme mask as the sorted list of codes (results export: "scheme codes, sorted").
CREATE FUNCTION pg_temp.cmp_scheme_codes(mask INTEGER) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN mask & 1 <> 0 THEN '110' END, CASE WHEN mask & 2 <> 0 THEN '120' END,
    CASE WHEN mask & 4 <> 0 THEN '170' END, CASE WHEN mask & 32 <> 0 THEN '210' END,
    CASE WHEN mask & 8 <> 0 THEN '310' END, CASE WHEN mask & 16 <> 0 THEN '390' END,
    CASE WHEN mask & 64 <> 0 THEN '410' END, CASE WHEN mask & 128 <> 0 THEN '510' END], NULL)
$$;

-- A flag mask (06-classify.sql) as the list of flag codes, sorted by code (byte order), as exported.
CREATE FUNCTION pg_temp.cmp_flag_codes(mask INTEGER) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(f.code ORDER BY f.bit), '{}')
    FROM (VALUES (0, 'birth_mismatch'), (1, 'deceased'), (2, 'dup_medical'), (3, 'dup_pension'), (4, 'dup_place'),
                 (5, 'elsewhere_in_province'), (6, 'elsewhere_out_of_province'), (7, 'emigrated'),
                 (8, 'gender_mismatch'), (9, 'interrupted'), (10, 'military'), (11, 'missing_employee_schemes'),
                 (12, 'moved_out'), (13, 'name_mismatch'), (14, 'no_medical'), (15, 'no_pension'),
                 (16, 'no_region'), (17, 'non_local'), (18, 'prisoner')) AS f(bit, code)
   WHERE mask & (1 << f.bit) <> 0
$$;

-- domain.md "The registry": the registration status a run gives a person it finds with `category`,
-- `flags` and `missing` schemes, whose registry row holds `was` (status) and `was_category`,
-- `was_flags`, `was_missing` (all NULL for a new row). EXCLUDED → EXCLUDED; CONFIRMED →
-- CONFIRMED_BY_COMPARISON; any other category → NEEDS_SURVEY (a survey task opens, 08-tasks.sql) —
-- except that "a person registered by survey stays registered when a later comparison agrees": when
-- the run finds them insured (CONFIRMED), or finds exactly what the row holds (e.g. still not
-- insured, the survey having recorded why). Anything new (another category, flag or missing scheme)
-- is "a new problem": NEEDS_SURVEY, and the history says which run found it (09-registry.sql).
CREATE FUNCTION pg_temp.cmp_status(category TEXT, flags TEXT[], missing TEXT[],
                                   was "RegistrationStatus", was_category TEXT, was_flags TEXT[], was_missing TEXT[])
RETURNS "RegistrationStatus" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE WHEN category = 'EXCLUDED' THEN 'EXCLUDED'
               WHEN was = 'REGISTERED_BY_SURVEY'
                AND (category = 'CONFIRMED' OR (was_category, was_flags, was_missing) IS NOT DISTINCT FROM (category, flags, missing))
               THEN 'REGISTERED_BY_SURVEY'
               WHEN category = 'CONFIRMED' THEN 'CONFIRMED_BY_COMPARISON'
               ELSE 'NEEDS_SURVEY' END)::"RegistrationStatus"
$$;
