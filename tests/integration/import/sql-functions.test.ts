import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { freshDatabase } from "@/tests/helpers/db";

// Migration 20261125060000_import_speed redefines half_width, normalise_id, id_invalid_reason and
// import_date as expressions PostgreSQL inlines. They must give exactly what the original definitions
// (migration 20261125010000_import, copied below as reference_*) give, on every kind of input.

const REFERENCE = `
CREATE FUNCTION reference_half_width(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT translate(s,
    '　！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
    ' !"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~')
$$;
CREATE FUNCTION reference_is_real_ymd(ymd TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN ymd !~ '^[0-9]{8}$' THEN false
    WHEN substr(ymd,1,4)::int < 1 OR substr(ymd,5,2)::int NOT BETWEEN 1 AND 12 THEN false
    ELSE substr(ymd,7,2)::int BETWEEN 1 AND extract(day from (make_date(substr(ymd,1,4)::int, substr(ymd,5,2)::int, 1) + interval '1 month - 1 day'))::int
  END
$$;
CREATE FUNCTION reference_normalise_id(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s ~ '^[0-9]{15}$'
              THEN substr(s,1,6) || '19' || substr(s,7) || id_check_char(substr(s,1,6) || '19' || substr(s,7,9))
              ELSE s END
  FROM (SELECT replace(btrim(reference_half_width(coalesce(raw, ''))), 'x', 'X') AS s) t
$$;
CREATE FUNCTION reference_id_invalid_reason(raw TEXT, as_of DATE) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN length(s) NOT IN (15, 18) THEN 'bad_length'
    WHEN length(s) = 15 AND s !~ '^[0-9]{15}$' THEN 'bad_characters'
    WHEN length(s) = 18 AND s !~ '^[0-9]{17}[0-9X]$' THEN 'bad_characters'
    WHEN length(s) = 18 AND id_check_char(substr(s,1,17)) <> substr(s,18,1) THEN 'bad_checksum'
    WHEN NOT reference_is_real_ymd(substr(n,7,8)) THEN 'bad_birth_date'
    WHEN to_date(substr(n,7,8), 'YYYYMMDD') > as_of THEN 'bad_birth_date'
    ELSE NULL END
  FROM (SELECT s, CASE WHEN s ~ '^[0-9]{15}$' THEN substr(s,1,6) || '19' || substr(s,7) ELSE s END AS n
        FROM (SELECT replace(btrim(reference_half_width(coalesce(raw, ''))), 'x', 'X') AS s) t) u
$$;`;

beforeAll(async () => {
  await freshDatabase();
  await pool().query(REFERENCE);
});

function withCheck(first17: string): string {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * W[i];
  return first17 + "10X98765432"[sum % 11];
}

/** IDs of every shape: valid, 15-digit, full-width, lower-case x, spaces, bad check, bad and future dates, leap days. */
function idCorpus(): (string | null)[] {
  const ids: (string | null)[] = [null, "", " ", "12345", "３２０４", "320402800101123", "３２０４０２８００１０１１２３", " 320402800101123 ", "32040280010112X", "320402800230123", "320402000229123"];
  for (const birth of ["19800101", "20000229", "19000229", "20040229", "19990230", "19991301", "19990100", "00000101", "20991231", "20261125", "20261126", "99991231"]) {
    for (const seq of [0, 7, 123, 999]) {
      const id = makeIdNumber("320402", birth, seq);
      ids.push(id, id.toLowerCase(), ` ${id} `, id.slice(0, 17) + (id[17] === "0" ? "1" : "0"), id.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)));
      ids.push(withCheck(`320402${birth}${String(seq).padStart(3, "0")}`.slice(0, 17)));
    }
  }
  ids.push("32040219800101A23X", "3204021980010112３X", "32040219800101123x", "320402198001011230 ", "　320402198001011230", "320402 19800101123");
  return ids;
}

describe("the inlined ID functions equal the original definitions", () => {
  it("normalise_id and id_invalid_reason agree on every input and as-of date", async () => {
    const ids = idCorpus();
    const { rows } = await pool().query(
      `SELECT raw, as_of, normalise_id(raw) AS n, reference_normalise_id(raw) AS rn,
              id_invalid_reason(raw, as_of) AS r, reference_id_invalid_reason(raw, as_of) AS rr
       FROM unnest($1::text[]) AS raw, unnest(ARRAY['2026-11-25', '1999-12-31', '2000-02-29']::date[]) AS as_of`,
      [ids],
    );
    expect(rows.length).toBe(ids.length * 3);
    const differing = rows.filter((r) => r.n !== r.rn || r.r !== r.rr);
    expect(differing).toEqual([]);
    // The corpus reaches every reason.
    expect(new Set(rows.map((r) => r.rr))).toEqual(new Set([null, "bad_length", "bad_characters", "bad_checksum", "bad_birth_date"]));
  });

  it("half_width agrees, full-width or not", async () => {
    const samples = ["", "abc", "张三", "３２０４", "ＡＢＣｘｙｚ", "　李　四　", "（天宁区）１号", "ｶﾀｶﾅ", "①②", "·•・.．", "mixed ３ and 3"];
    const { rows } = await pool().query(`SELECT s, half_width(s) AS h, reference_half_width(s) AS rh FROM unnest($1::text[]) AS s`, [samples]);
    expect(rows.filter((r) => r.h !== r.rh)).toEqual([]);
    expect((await pool().query(`SELECT half_width(NULL) AS h`)).rows[0].h).toBeNull();
  });
});

describe("import_gender reads 男/女, 1/2 and M/F in either case", () => {
  it("maps every accepted spelling and nothing else", async () => {
    const { rows } = await pool().query(`SELECT v, import_gender(v) AS g FROM unnest($1::text[]) AS v`, [["男", "1", "M", "m", "ｍ", " 女 ", "2", "F", "f", "男性", "X", "", null]]);
    expect(rows.map((r) => r.g)).toEqual(["1", "1", "1", "1", "1", "2", "2", "2", "2", null, null, null, null]);
  });
});

describe("import_date reads the three date forms and only real dates", () => {
  it.each([
    ["2020-02-29", "2020-02-29"],
    ["2020/2/9", "2020-02-09"],
    ["20200229", "2020-02-29"],
    [" ２０２０－０１－０１ ", "2020-01-01"],
    ["2019-02-29", null],
    ["2020-13-01", null],
    ["2020-01-32", null],
    ["2020-01/01", null],
    ["2020.01.01", null],
    ["2020-01-0-", null],
    ["2020-1-011", null],
    ["202001011", null],
    ["2020010", null],
    ["1/1/2020", null],
    ["", null],
  ])("%s → %s", async (input, expected) => {
    const { rows } = await pool().query(`SELECT to_char(import_date($1), 'YYYY-MM-DD') AS d`, [input]);
    expect(rows[0].d).toBe(expected);
  });
});
