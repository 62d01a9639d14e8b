-- Import batches and the typed records of each source kind (import-formats.md), plus the SQL
-- normalisation functions shared by the importer and the comparison (comparison-rules.md §1).

CREATE TYPE "ImportKind" AS ENUM ('regions', 'population', 'enrolment', 'department', 'elsewhere');
CREATE TYPE "BatchStatus" AS ENUM ('LOADING', 'ACTIVE', 'RETIRED');

CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "file_name" TEXT NOT NULL,
    "checksum" CHAR(64) NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'LOADING',
    "encoding" TEXT,
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_loaded" INTEGER NOT NULL DEFAULT 0,
    "rows_invalid" INTEGER NOT NULL DEFAULT 0,
    "imported_by_id" INTEGER,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "import_batch_kind_checksum_key" ON "import_batch"("kind", "checksum");
CREATE INDEX "import_batch_kind_status_idx" ON "import_batch"("kind", "status");

-- One table per kind. `line_no` is the physical line (CSV) or row (XLSX) of the record, header = 1.
-- `id_number` is the normalised ID (trim, half-width, x→X, 15→18); `id_invalid` the first failed
-- check at import time (NULL = valid). Text values are trimmed and half-width; codes are normalised
-- to their code form (gender '1'/'2', scheme '110'…, status 1/2/3, kinds in English).
CREATE TABLE "population_record" (
    "batch_id" INTEGER NOT NULL,
    "line_no" INTEGER NOT NULL,
    "id_raw" TEXT,
    "id_number" TEXT,
    "id_invalid" TEXT,
    "name" TEXT,
    "gender" CHAR(1),
    "birth_date" DATE,
    "ethnicity" TEXT,
    "hukou_region_code" TEXT,
    "hukou_address" TEXT,
    "residence_region_code" TEXT,
    "residence_address" TEXT,
    "phone" TEXT,
    "status" TEXT NOT NULL DEFAULT 'normal',
    CONSTRAINT "population_record_pkey" PRIMARY KEY ("batch_id", "line_no")
);

CREATE TABLE "enrolment_record" (
    "batch_id" INTEGER NOT NULL,
    "line_no" INTEGER NOT NULL,
    "id_raw" TEXT,
    "id_number" TEXT,
    "id_invalid" TEXT,
    "name" TEXT,
    "scheme" VARCHAR(3) NOT NULL,
    "status" SMALLINT NOT NULL,
    "region_code" TEXT,
    "employer" TEXT,
    "start_date" DATE,
    "benefit" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "enrolment_record_pkey" PRIMARY KEY ("batch_id", "line_no")
);

CREATE TABLE "department_record" (
    "batch_id" INTEGER NOT NULL,
    "line_no" INTEGER NOT NULL,
    "id_raw" TEXT,
    "id_number" TEXT,
    "id_invalid" TEXT,
    "name" TEXT,
    "kind" TEXT NOT NULL,
    "date" DATE,
    "source" TEXT,
    CONSTRAINT "department_record_pkey" PRIMARY KEY ("batch_id", "line_no")
);

CREATE TABLE "elsewhere_record" (
    "batch_id" INTEGER NOT NULL,
    "line_no" INTEGER NOT NULL,
    "id_raw" TEXT,
    "id_number" TEXT,
    "id_invalid" TEXT,
    "name" TEXT,
    "scheme" VARCHAR(3) NOT NULL,
    "region_code" TEXT,
    "status" SMALLINT NOT NULL,
    CONSTRAINT "elsewhere_record_pkey" PRIMARY KEY ("batch_id", "line_no")
);

-- Full-width ASCII (U+FF01–FF5E) and the ideographic space → half-width.
CREATE FUNCTION "half_width"(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(s,
    '　！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
    ' !"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')
$$;

-- GB 11643 check character of the first 17 digits.
CREATE FUNCTION "id_check_char"(first17 TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr('10X98765432', (
      (substr(first17,1,1)::int*7 + substr(first17,2,1)::int*9 + substr(first17,3,1)::int*10 + substr(first17,4,1)::int*5
     + substr(first17,5,1)::int*8 + substr(first17,6,1)::int*4 + substr(first17,7,1)::int*2 + substr(first17,8,1)::int*1
     + substr(first17,9,1)::int*6 + substr(first17,10,1)::int*3 + substr(first17,11,1)::int*7 + substr(first17,12,1)::int*9
     + substr(first17,13,1)::int*10 + substr(first17,14,1)::int*5 + substr(first17,15,1)::int*8 + substr(first17,16,1)::int*4
     + substr(first17,17,1)::int*2) % 11) + 1, 1)
$$;

-- comparison-rules.md §1: trim; full-width → half-width; x → X; 15 digits → 18.
CREATE FUNCTION "normalise_id"(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '^[0-9]{15}$'
              THEN substr(s,1,6) || '19' || substr(s,7) || id_check_char(substr(s,1,6) || '19' || substr(s,7,9))
              ELSE s END
  FROM (SELECT replace(btrim(half_width(coalesce(raw, ''))), 'x', 'X') AS s) t
$$;

-- True when an 8-digit YYYYMMDD string is a real calendar date.
CREATE FUNCTION "is_real_ymd"(ymd TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN ymd !~ '^[0-9]{8}$' THEN false
    WHEN substr(ymd,1,4)::int < 1 OR substr(ymd,5,2)::int NOT BETWEEN 1 AND 12 THEN false
    ELSE substr(ymd,7,2)::int BETWEEN 1 AND extract(day from (make_date(substr(ymd,1,4)::int, substr(ymd,5,2)::int, 1) + interval '1 month - 1 day'))::int
  END
$$;

-- comparison-rules.md §1: the first failed check, in order length → characters → check character
-- (18-character input only) → birth date (a real date not after as_of); NULL when valid.
CREATE FUNCTION "id_invalid_reason"(raw TEXT, as_of DATE) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(s) NOT IN (15, 18) THEN 'bad_length'
    WHEN length(s) = 15 AND s !~ '^[0-9]{15}$' THEN 'bad_characters'
    WHEN length(s) = 18 AND s !~ '^[0-9]{17}[0-9X]$' THEN 'bad_characters'
    WHEN length(s) = 18 AND id_check_char(substr(s,1,17)) <> substr(s,18,1) THEN 'bad_checksum'
    WHEN NOT is_real_ymd(substr(n,7,8)) THEN 'bad_birth_date'
    WHEN to_date(substr(n,7,8), 'YYYYMMDD') > as_of THEN 'bad_birth_date'
    ELSE NULL END
  FROM (SELECT s, CASE WHEN s ~ '^[0-9]{15}$' THEN substr(s,1,6) || '19' || substr(s,7) ELSE s END AS n
        FROM (SELECT replace(btrim(half_width(coalesce(raw, ''))), 'x', 'X') AS s) t) u
$$;
