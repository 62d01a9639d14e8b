-- Value readers for the importer (import-formats.md "Values", "Dates", "Coded values"). Each returns
-- the normalised value, or NULL when the text matches nothing, so that lib/import can find the first
-- offending row with one scan (value present, reader NULL) and refuse the file. Plain SQL functions:
-- the planner inlines them into the bulk INSERT … SELECT, so they cost no more than inline CASEs.

-- Trim, full-width → half-width, empty → NULL.
CREATE FUNCTION "import_text"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(btrim(half_width(v), E' \t\r\n'), '')
$$;

-- YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (one- or two-digit month and day with a separator); a real date.
CREATE FUNCTION "import_date"(v TEXT) RETURNS DATE LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN is_real_ymd(ymd) THEN to_date(ymd, 'YYYYMMDD') END
  FROM (SELECT CASE
      WHEN s ~ '^[0-9]{8}$' THEN s
      WHEN s ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' OR s ~ '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$'
        THEN split_part(t, '-', 1) || lpad(split_part(t, '-', 2), 2, '0') || lpad(split_part(t, '-', 3), 2, '0')
    END AS ymd
    FROM (SELECT import_text(v) AS s, replace(import_text(v), '/', '-') AS t) a) b
$$;

-- 性别: 男/女, 1/2, M/F → '1' male, '2' female.
CREATE FUNCTION "import_gender"(v TEXT) RETURNS CHAR(1) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE upper(import_text(v)) WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN 'M' THEN '1'
                                    WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN 'F' THEN '2' END
$$;

-- 险种: code or Chinese name (LD/T 92-2013 codes).
CREATE FUNCTION "import_scheme"(v TEXT) RETURNS VARCHAR(3) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE import_text(v)
    WHEN '110' THEN '110' WHEN '企业职工基本养老保险' THEN '110'
    WHEN '120' THEN '120' WHEN '机关事业单位养老保险' THEN '120'
    WHEN '170' THEN '170' WHEN '城乡居民基本养老保险' THEN '170'
    WHEN '310' THEN '310' WHEN '职工基本医疗保险' THEN '310'
    WHEN '390' THEN '390' WHEN '城乡居民基本医疗保险' THEN '390'
    WHEN '210' THEN '210' WHEN '失业保险' THEN '210'
    WHEN '410' THEN '410' WHEN '工伤保险' THEN '410'
    WHEN '510' THEN '510' WHEN '生育保险' THEN '510' END
$$;

-- 参保状态: 1 参保缴费 (active) · 2 暂停缴费 (suspended) · 3 终止参保 (terminated).
CREATE FUNCTION "import_insured_status"(v TEXT) RETURNS SMALLINT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE import_text(v)
    WHEN '1' THEN 1 WHEN '参保缴费' THEN 1
    WHEN '2' THEN 2 WHEN '暂停缴费' THEN 2
    WHEN '3' THEN 3 WHEN '终止参保' THEN 3 END::SMALLINT
$$;

-- Yes/no: 是/否, 1/0; empty = no.
CREATE FUNCTION "import_yes_no"(v TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE coalesce(import_text(v), '') WHEN '' THEN false
    WHEN '是' THEN true WHEN '1' THEN true WHEN '否' THEN false WHEN '0' THEN false END
$$;

-- 类别 of a department record → its English code.
CREATE FUNCTION "import_department_kind"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lower(import_text(v))
    WHEN 'deceased' THEN 'deceased' WHEN '死亡' THEN 'deceased'
    WHEN 'prisoner' THEN 'prisoner' WHEN '服刑' THEN 'prisoner'
    WHEN 'military' THEN 'military' WHEN '服役' THEN 'military'
    WHEN 'emigrated' THEN 'emigrated' WHEN '出国定居' THEN 'emigrated'
    WHEN 'student' THEN 'student' WHEN '在校学生' THEN 'student' END
$$;

-- 人员状态 of a population record → its English code; empty = normal.
CREATE FUNCTION "import_population_status"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE coalesce(lower(import_text(v)), '') WHEN '' THEN 'normal'
    WHEN 'normal' THEN 'normal' WHEN '正常' THEN 'normal'
    WHEN 'deceased' THEN 'deceased' WHEN '死亡' THEN 'deceased'
    WHEN 'moved_out' THEN 'moved_out' WHEN '迁出' THEN 'moved_out' END
$$;
