import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { CsvProblem, CsvSplitter, recordTexts, splitFile } from "@/lib/import/csv-records";
import { scanFile, type TTextEncoding } from "@/lib/import/file-scan";
import { chineseRows } from "../helpers/chinese-text";

// CSV files are decoded exactly whatever the read buffer cuts: a UTF-8 or GB18030 character (two or
// four bytes), a BOM, a CRLF or a quoted line break split across two reads arrives whole. A file of
// several MB of Chinese text is read with buffer sizes from one byte up, and every record must equal
// what was written. Text that does not decode refuses the file at its line.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csv-decoding-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const HEADER = ["公民身份号码", "姓名", "单位名称", "常住地址", "备注", "序号"];

function csvText(rows: string[][]): string {
  return [HEADER, ...rows].map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}

function write(name: string, text: string, encoding: TTextEncoding): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from((encoding === "utf-8-bom" ? "\uFEFF" : "") + text, "utf8"));
  return file;
}

async function read(file: string, encoding: TTextEncoding, chunkSize: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const _ of splitFile(file, encoding, new CsvSplitter((r) => out.push(recordTexts(r))), () => null, { chunkSize })) void _;
  return out;
}

function firstDifference(actual: string[][], expected: string[][]): { record: number; actual?: string[]; expected?: string[] } | null {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!a || !e || a.length !== e.length || a.some((v, j) => v !== e[j])) return { record: i, actual: a, expected: e };
  }
  return null;
}

describe("CSV decoding across read-buffer boundaries", () => {
  const big = chineseRows(60_000, 5);
  const bigExpected = [HEADER, ...big];
  const small = chineseRows(200, 6);
  const smallExpected = [HEADER, ...small];

  for (const encoding of ["utf-8", "utf-8-bom", "gb18030"] as const) {
    it(`${encoding}: several MB, buffer sizes from 1 MiB down to 1,021 bytes`, async () => {
      const file = write(`big-${encoding}.csv`, csvText(big), encoding);
      expect(fs.statSync(file).size).toBeGreaterThan(4_000_000);
      expect((await scanFile(file)).encoding).toBe(encoding);
      for (const size of [1 << 20, 65_537, 4_099, 1_021]) expect(firstDifference(await read(file, encoding, size), bigExpected), `buffer ${size}`).toBeNull();
    }, 240_000);

    it(`${encoding}: every boundary of a small file, buffer sizes 1 to 9 and 127`, async () => {
      const file = write(`small-${encoding}.csv`, csvText(small), encoding);
      for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 127]) expect(firstDifference(await read(file, encoding, size), smallExpected), `buffer ${size}`).toBeNull();
    });
  }
});

describe("text that does not decode refuses the file at its line", () => {
  async function problem(file: string, encoding: TTextEncoding, chunkSize = 1 << 20): Promise<CsvProblem> {
    try {
      await read(file, encoding, chunkSize);
    } catch (e) {
      if (e instanceof CsvProblem) return e;
      throw e;
    }
    throw new Error("the file was read");
  }

  it("a broken UTF-8 sequence in a file with a BOM (taken as UTF-8 unchecked by the scan)", async () => {
    const file = path.join(dir, "broken-bom.csv");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("\uFEFF姓名,单位\r\n张三,甲\r\n熊", "utf8"), Buffer.from([0xe6, 0xb5]), Buffer.from(",乙\r\n", "utf8")]));
    for (const size of [1, 2, 5, 1 << 20]) expect(await problem(file, "utf-8-bom", size), `buffer ${size}`).toMatchObject({ reason: "broken_text", line: 3 });
  });

  it("a U+FFFD written into a UTF-8 file, even across a buffer boundary", async () => {
    const file = write("fffd.csv", "姓名,单位\n张三,甲\n李四,乙\n熊\uFFFD,丙\n", "utf-8");
    for (const size of [1, 2, 3, 4, 1 << 20]) {
      const p = await problem(file, "utf-8", size);
      expect(p, `buffer ${size}`).toMatchObject({ reason: "broken_text", line: 4 });
      expect(p.value).toContain("\uFFFD");
    }
  });

  it("a GB18030 sequence that decodes to U+FFFD, and one that breaks the encoding", async () => {
    // 84 31 A4 37 is U+FFFD in GB18030; 0x80 never starts a GB18030 character.
    const fffd = path.join(dir, "gb-fffd.csv");
    fs.writeFileSync(fffd, Buffer.concat([iconv.encode("姓名,单位\r\n张三,甲\r\n熊", "gb18030"), Buffer.from([0x84, 0x31, 0xa4, 0x37]), iconv.encode(",乙\r\n", "gb18030")]));
    for (const size of [1, 3, 1 << 20]) expect(await problem(fffd, "gb18030", size), `buffer ${size}`).toMatchObject({ reason: "broken_text", line: 3 });
    const broken = path.join(dir, "gb-broken.csv");
    fs.writeFileSync(broken, Buffer.concat([iconv.encode("姓名,单位\r\n张三,甲\r\n", "gb18030"), Buffer.from([0x80]), iconv.encode(",乙\r\n", "gb18030")]));
    expect(await problem(broken, "gb18030")).toMatchObject({ reason: "unreadable_encoding", line: 3 });
  });
});
