-- Speed for bulk imports (lib/import) and every other caller: the same results, computed by
-- expressions PostgreSQL inlines. Measured on 1M rows: translate() costs ~10 µs a value, and a SQL
-- function whose body has a FROM clause is never inlined and costs ~10–150 µs a call; a plain
-- expression over a column costs well under 1 µs. tests/integration/import/sql-functions.test.ts
-- holds the new definitions to the original ones (migration 20261125010000_import).

-- half_width: the same translate, skipped when the text holds no full-width character (almost always):
-- pure ASCII text (octet length = character length, no scan) never does; other text is tested with
-- one regular expression.
CREATE OR REPLACE FUNCTION "half_width"(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN octet_length(s) <> length(s) AND s ~ '[！-～　]' THEN translate(s,
    '　！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
    ' !"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')
  ELSE s END
$$;

-- comparison-rules.md §1, first steps: trim, full-width → half-width, x → X (no 15 → 18 yet).
CREATE FUNCTION "id_clean"(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(btrim(half_width(coalesce(raw, ''))), 'x', 'X')
$$;

-- normalise_id of an already cleaned ID (s = id_clean(raw)): 15 digits → 18.
CREATE FUNCTION "id_from_clean"(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(s) = 15 AND s ~ '^[0-9]{15}$'
              THEN substr(s,1,6) || '19' || substr(s,7) || id_check_char(substr(s,1,6) || '19' || substr(s,7,9))
              ELSE s END
$$;

-- True when an 8-digit string is a real calendar date (is_real_ymd without make_date and intervals;
-- the caller guarantees 8 digits).
CREATE FUNCTION "ymd_is_real"(ymd TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr(ymd,1,4)::int >= 1 AND substr(ymd,5,2)::int BETWEEN 1 AND 12
     AND substr(ymd,7,2)::int BETWEEN 1 AND CASE substr(ymd,5,2)::int
           WHEN 2 THEN CASE WHEN substr(ymd,1,4)::int % 4 = 0 AND (substr(ymd,1,4)::int % 100 <> 0 OR substr(ymd,1,4)::int % 400 = 0) THEN 29 ELSE 28 END
           WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END
$$;

-- GB 11643 check character from the bytes of 17 ASCII digits (b = textsend(s)): get_byte reads in
-- place where substr(…)::int allocates; the digits' '0' offsets sum to 48 × 100 (the weights' sum).
CREATE FUNCTION "id_check_char_bytes"(b BYTEA) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr('10X98765432', ((get_byte(b,0)*7 + get_byte(b,1)*9 + get_byte(b,2)*10 + get_byte(b,3)*5 + get_byte(b,4)*8
    + get_byte(b,5)*4 + get_byte(b,6)*2 + get_byte(b,7)*1 + get_byte(b,8)*6 + get_byte(b,9)*3 + get_byte(b,10)*7
    + get_byte(b,11)*9 + get_byte(b,12)*10 + get_byte(b,13)*5 + get_byte(b,14)*8 + get_byte(b,15)*4 + get_byte(b,16)*2
    - 4800) % 11) + 1, 1)
$$;

-- id_invalid_reason of an already cleaned ID: s = id_clean(raw), b = textsend(s), as_of_ymd = the
-- as-of date as YYYYMMDD. Same checks in the same order (comparison-rules.md §1).
CREATE FUNCTION "id_reason_from_clean"(s TEXT, b BYTEA, as_of_ymd TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(s) NOT IN (15, 18) THEN 'bad_length'
    WHEN length(s) = 15 AND s !~ '^[0-9]{15}$' THEN 'bad_characters'
    WHEN length(s) = 18 AND s !~ '^[0-9]{17}[0-9X]$' THEN 'bad_characters'
    WHEN length(s) = 18 AND id_check_char_bytes(b) <> substr(s,18,1) THEN 'bad_checksum'
    WHEN NOT ymd_is_real(CASE WHEN length(s) = 15 THEN '19' || substr(s,7,6) ELSE substr(s,7,8) END) THEN 'bad_birth_date'
    WHEN (CASE WHEN length(s) = 15 THEN '19' || substr(s,7,6) ELSE substr(s,7,8) END) > as_of_ymd THEN 'bad_birth_date'
    ELSE NULL END
$$;

-- The contract's functions, now one expression each.
CREATE OR REPLACE FUNCTION "normalise_id"(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT id_from_clean(id_clean(raw))
$$;

CREATE OR REPLACE FUNCTION "id_invalid_reason"(raw TEXT, as_of DATE) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT id_reason_from_clean(id_clean(raw), textsend(id_clean(raw)), to_char(as_of, 'YYYYMMDD'))
$$;

-- A date value as 8 digits YYYYMMDD (from YYYY-MM-DD, YYYY/MM/DD with one- or two-digit month and day,
-- or YYYYMMDD), or NULL when it has none of these forms; t is already import_text'ed.
CREATE FUNCTION "import_ymd"(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t ~ '^[0-9]{8}$' THEN t
    WHEN t ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' OR t ~ '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$'
      THEN split_part(replace(t, '/', '-'), '-', 1) || lpad(split_part(replace(t, '/', '-'), '-', 2), 2, '0')
           || lpad(split_part(replace(t, '/', '-'), '-', 3), 2, '0')
  END
$$;

-- The date of import_ymd's result, NULL when it is not a real date. make_date, not to_date: to_date
-- is only STABLE, and an IMMUTABLE function calling it is never inlined.
CREATE FUNCTION "ymd_date"(ymd TEXT) RETURNS DATE LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ymd_is_real(ymd) THEN make_date(substr(ymd,1,4)::int, substr(ymd,5,2)::int, substr(ymd,7,2)::int) END
$$;

CREATE OR REPLACE FUNCTION "import_date"(v TEXT) RETURNS DATE LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ymd_date(import_ymd(import_text(v)))
$$;
