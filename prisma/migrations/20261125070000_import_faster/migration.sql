-- Cheaper bodies for three value readers, same results (tests/integration/import/sql-functions.test.ts):
-- a regular expression costs ~1 µs a value in PostgreSQL (the text is converted to wide characters
-- for every match) and upper() is locale-aware; rtrim over a digit set and plain comparisons are not.

-- id_invalid_reason's checks on a cleaned ID, the character checks without regular expressions.
CREATE OR REPLACE FUNCTION "id_reason_from_clean"(s TEXT, b BYTEA, as_of_ymd TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(s) NOT IN (15, 18) THEN 'bad_length'
    WHEN length(s) = 15 AND rtrim(s, '0123456789') <> '' THEN 'bad_characters'
    WHEN length(s) = 18 AND (rtrim(substr(s,1,17), '0123456789') <> '' OR strpos('0123456789X', substr(s,18,1)) = 0) THEN 'bad_characters'
    WHEN length(s) = 18 AND id_check_char_bytes(b) <> substr(s,18,1) THEN 'bad_checksum'
    WHEN NOT ymd_is_real(CASE WHEN length(s) = 15 THEN '19' || substr(s,7,6) ELSE substr(s,7,8) END) THEN 'bad_birth_date'
    WHEN (CASE WHEN length(s) = 15 THEN '19' || substr(s,7,6) ELSE substr(s,7,8) END) > as_of_ymd THEN 'bad_birth_date'
    ELSE NULL END
$$;

-- import_ymd with a fast path for the usual YYYY-MM-DD.
CREATE OR REPLACE FUNCTION "import_ymd"(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(t) = 10 AND substr(t,5,1) = '-' AND substr(t,8,1) = '-' AND length(replace(t, '-', '')) = 8
         AND rtrim(replace(t, '-', ''), '0123456789') = '' THEN replace(t, '-', '')
    WHEN length(t) = 8 AND rtrim(t, '0123456789') = '' THEN t
    WHEN t ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' OR t ~ '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$'
      THEN split_part(replace(t, '/', '-'), '-', 1) || lpad(split_part(replace(t, '/', '-'), '-', 2), 2, '0')
           || lpad(split_part(replace(t, '/', '-'), '-', 3), 2, '0')
  END
$$;

-- 性别 without upper(): the four spellings of each letter listed.
CREATE OR REPLACE FUNCTION "import_gender"(v TEXT) RETURNS CHAR(1) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE import_text(v) WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN 'M' THEN '1' WHEN 'm' THEN '1'
                             WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN 'F' THEN '2' WHEN 'f' THEN '2' END
$$;
