-- 登记库 search by part of a name (Chinese) or part of an ID number, at 1 M persons (issue 13).
--
-- Why not pg_trgm: it is shipped with both servers we run on (embedded PostgreSQL 18 and Debian's
-- postgresql-15), but
--   * its trigrams need three characters, and a Chinese name has two or three: a search for part of
--     a name ("张", "小明") yields no trigram at all, and pg_trgm then scans the whole index;
--   * which characters are "word" characters follows the database's LC_CTYPE, and ours is C (the
--     embedded server: --locale=C with the builtin C.UTF-8 provider, which pg_trgm does not consult;
--     a plain initdb on CI's postgresql-15): show_trgm('张小明') answers {} on both (checked on
--     PostgreSQL 18 and 15), so a Chinese name yields no trigram at all. Only a libc C.UTF-8 or
--     zh_CN LC_CTYPE would make CJK characters word characters.
-- So the index is our own, the same on every server and locale: a GIN over an array of grams
-- computed in SQL — every single character and every two-character run of the name ("n:" + gram),
-- and every three-character run of the ID number ("i:" + gram; digits have only 1,000 trigrams, so
-- shorter runs would match too many rows to help). A search asks for all grams of the query
-- (`@>`) and rechecks with LIKE, so the gram index only narrows the candidates
-- (lib/registry/queries.ts personSearchCondition builds the same grams).
-- plpgsql, not a set-returning SQL function: 13 µs a row instead of 90 µs (measured at 250k rows),
-- which is what every insert of a person and the index build pay. Duplicate grams are left in: GIN
-- keeps each key once per row.
CREATE FUNCTION person_search_grams(name text, id_number text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  grams text[] := '{}';
  n int := char_length(name);
  m int := char_length(id_number);
BEGIN
  FOR i IN 1..n LOOP grams := grams || ('n:' || substr(name, i, 1)); END LOOP;
  FOR i IN 1..n - 1 LOOP grams := grams || ('n:' || substr(name, i, 2)); END LOOP;
  FOR i IN 1..m - 2 LOOP grams := grams || ('i:' || substr(id_number, i, 3)); END LOOP;
  RETURN grams;
END $$;

CREATE INDEX person_search_grams_idx ON person USING gin (person_search_grams(name, id_number::text));
