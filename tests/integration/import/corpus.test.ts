import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { IMPORT_REFUSALS, ImportError } from "@/lib/import/import-error";
import { importFile } from "@/lib/import/import-file";
import type { TImportKind } from "@/lib/import/formats";
import { freshDatabase } from "@/tests/helpers/db";
import { sharedStringsPart, workbookBytes, zipBytes } from "@/tests/helpers/xlsx";
import { validId, writeBytes } from "./fixtures";

// The bad-input corpus (issue 11): every file a clerk or an attacker might hand the importer, each
// imported for real. Each one is either refused clearly — a known reason, a Chinese message naming
// the file, and nothing written (no batch, no audit row, no records) — or loaded whole (every data
// row read is loaded). Nothing else: no crash, no half-written batch, no silent change of a value.

interface Case {
  name: string;
  kind: TImportKind;
  bytes: Buffer;
  /** The expected refusal, or "loads" with the number of data rows. */
  expect: { reason: (typeof IMPORT_REFUSALS)[number]; line?: number | null } | { loads: number };
}

const POP = "id_number,name,gender,birth_date,hukou_region_code,status";
const ENROL = "id_number,name,scheme,status,region_code,employer,start_date,benefit";
const utf8 = (s: string) => Buffer.from(s, "utf8");
const sheet = (rows: string[][]) =>
  workbookBytes({ sheets: [rows.map((r, i) => `<row r="${i + 1}">${r.map((v) => `<c t="inlineStr"><is><t xml:space="preserve">${v.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</t></is></c>`).join("")}</row>`).join("")] });

const CASES: Case[] = [
  { name: "empty.csv", kind: "population", bytes: Buffer.alloc(0), expect: { reason: "empty_file" } },
  { name: "header-only.csv", kind: "population", bytes: utf8(`${POP}\n`), expect: { reason: "empty_file" } },
  { name: "blank-lines.csv", kind: "population", bytes: utf8(`${POP}\n,,,,,\n\n`), expect: { reason: "empty_file" } },
  { name: "no-header.csv", kind: "population", bytes: utf8(`${validId(1)},张三,1,1980-01-01,320402002001,normal\n`), expect: { reason: "missing_column" } },
  { name: "duplicate-column.csv", kind: "population", bytes: utf8(`${POP},姓名\n${validId(1)},张三,1,1980-01-01,320402002001,1,张三\n`), expect: { reason: "duplicate_column" } },
  { name: "broken-quote.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},"张三,1,1980-01-01,320402002001,normal\n`), expect: { reason: "broken_quoting", line: 2 } },
  { name: "column-count.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},张三,1\n`), expect: { reason: "bad_column_count", line: 2 } },
  { name: "bad-gender.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},张三,X,1980-01-01,320402002001,normal\n`), expect: { reason: "bad_value", line: 2 } },
  { name: "bad-date.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},张三,1,1980-02-30,320402002001,normal\n`), expect: { reason: "bad_date", line: 2 } },
  { name: "nul.csv", kind: "population", bytes: Buffer.concat([utf8(`${POP}\n${validId(1)},张`), Buffer.from([0]), utf8(`三,1,1980-01-01,320402002001,normal\n`)]), expect: { reason: "unreadable_encoding" } },
  { name: "binary.csv", kind: "population", bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), expect: { reason: "unreadable_encoding" } },
  { name: "bom-broken-utf8.csv", kind: "population", bytes: Buffer.concat([utf8(`\uFEFF${POP}\n${validId(1)},熊`), Buffer.from([0xe6]), utf8(`,1,1980-01-01,320402002001,normal\n`)]), expect: { reason: "broken_text", line: 2 } },
  { name: "replacement-char.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},熊\uFFFD,1,1980-01-01,320402002001,normal\n`), expect: { reason: "broken_text", line: 2 } },
  { name: "too-long-name.csv", kind: "population", bytes: utf8(`${POP}\n${validId(1)},${"长".repeat(5000)},1,1980-01-01,320402002001,normal\n`), expect: { reason: "too_long", line: 2 } },
  { name: "unsupported.txt", kind: "population", bytes: utf8(`${POP}\n`), expect: { reason: "unsupported_file" } },
  { name: "not-a-zip.xlsx", kind: "population", bytes: utf8(`${POP}\n${validId(1)},张三,1,1980-01-01,320402002001,normal\n`), expect: { reason: "unreadable_xlsx" } },
  { name: "cut.xlsx", kind: "population", bytes: sheet([POP.split(","), [validId(1), "张三", "1", "1980-01-01", "320402002001", "normal"]]).subarray(0, 300), expect: { reason: "unreadable_xlsx" } },
  { name: "empty-zip.xlsx", kind: "population", bytes: zipBytes([]), expect: { reason: "unreadable_xlsx" } },
  { name: "broken-utf8.xlsx", kind: "population", bytes: workbookBytes({ sharedStrings: sharedStringsPart([Buffer.from([0xe7, 0x86])]), sheets: [`<row r="1">${POP.split(",").map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join("")}</row><row r="2"><c t="inlineStr"><is><t>${validId(1)}</t></is></c><c t="s"><v>0</v></c></row>`] }), expect: { reason: "broken_text", line: 2 } },
  { name: "bad-scheme.xlsx", kind: "enrolment", bytes: sheet([ENROL.split(","), [validId(1), "张三", "999", "1", "", "", "", ""]]), expect: { reason: "bad_value", line: 2 } },
  // Files that load whole: every data row loaded, odd but valid values read as the format says.
  { name: "gb18030.csv", kind: "population", bytes: iconv.encode(`${POP}\r\n${validId(1)},𠮷野,女,1980/01/01,３２０４０２００２００１,正常\r\n`, "gb18030"), expect: { loads: 1 } },
  { name: "invalid-ids.csv", kind: "population", bytes: utf8(`${POP}\n12345,甲,1,1980-01-01,320402002001,normal\n${validId(2)},乙,2,1980-01-01,320402002001,normal\n`), expect: { loads: 2 } },
  { name: "quoted-newline.csv", kind: "enrolment", bytes: utf8(`${ENROL}\n${validId(3)},丙,310,1,320402,"常州""星火""科技,\n有限公司",2020-01-01,否\n`), expect: { loads: 1 } },
  { name: "ok.xlsx", kind: "enrolment", bytes: sheet([ENROL.split(","), [validId(4), "丁", "390", "参保缴费", "", "", "", ""], ["", "", "", "", "", "", "", ""], [validId(5), "戊", "170", "2", "320402", "", "20200101", "是"]]), expect: { loads: 2 } },
];

beforeAll(async () => {
  await freshDatabase();
});

async function footprint(): Promise<{ batches: number; audit: number; population: number; enrolment: number }> {
  const { rows } = await pool().query<{ batches: number; audit: number; population: number; enrolment: number }>(
    `SELECT (SELECT count(*)::int FROM import_batch) AS batches, (SELECT count(*)::int FROM audit_log WHERE action = 'import.run') AS audit,
            (SELECT count(*)::int FROM population_record) AS population, (SELECT count(*)::int FROM enrolment_record) AS enrolment`,
  );
  return rows[0];
}

describe("the bad-input corpus: each file refused clearly or loaded whole", () => {
  for (const c of CASES) {
    it(`${c.name}: ${"reason" in c.expect ? `refused (${c.expect.reason})` : `loads ${c.expect.loads} rows`}`, async () => {
      const file = writeBytes(c.name, c.bytes);
      const before = await footprint();
      const outcome = await importFile({ kind: c.kind, filePath: file, fileName: c.name }).then(
        (r) => r,
        (e: unknown) => e,
      );
      if ("reason" in c.expect) {
        expect(outcome, `${c.name} was not refused`).toBeInstanceOf(ImportError);
        const e = outcome as ImportError;
        expect(e.refusal.reason).toBe(c.expect.reason);
        if (c.expect.line !== undefined) expect(e.refusal.line).toBe(c.expect.line);
        expect(e.message).toContain(c.name);
        expect(e.message).toMatch(/[\u4e00-\u9fff]/); // a Chinese reason
        expect(e.message).not.toMatch(/\b(bad_value|missing_column|broken_text|unreadable_\w+|too_long)\b/);
        expect(await footprint(), "a refused file leaves nothing behind").toEqual(before);
      } else {
        expect(outcome, `${c.name}: ${outcome instanceof Error ? outcome.message : ""}`).not.toBeInstanceOf(Error);
        const r = outcome as Awaited<ReturnType<typeof importFile>>;
        expect(r.rowsLoaded).toBe(c.expect.loads);
        expect(r.rowsRead).toBe(c.expect.loads);
        const after = await footprint();
        expect(after.batches).toBe(before.batches + 1);
        expect(after.audit).toBe(before.audit + 1);
        expect(after.population + after.enrolment - before.population - before.enrolment).toBe(c.expect.loads);
      }
    });
  }

  it("the loaded values are the file's: four-byte characters, full-width digits, quoted line breaks", async () => {
    const { rows } = await pool().query<{ name: string; code: string }>(`SELECT name, hukou_region_code AS code FROM population_record WHERE name = '𠮷野'`);
    expect(rows).toEqual([{ name: "𠮷野", code: "320402002001" }]);
    const e = await pool().query<{ employer: string }>(`SELECT employer FROM enrolment_record WHERE employer LIKE '常州%'`);
    expect(e.rows).toEqual([{ employer: '常州"星火"科技,\n有限公司' }]);
  });
});
