import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pageWindow } from "@/components/ui/pager";
import { readFirstSheet } from "@/lib/import/xlsx-source";
import { safeCell, tableExportResponse } from "@/lib/http/table-export";

// Every list's export (lib/http/table-export.ts) and the page numbers under every list.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "table-export-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function* batches(): AsyncGenerator<(string | number | null)[][]> {
  yield [["张三", "3204**********1234", 1]];
  yield [["=HYPERLINK(\"x\")", null, 2], ["李\"四\",五", "-", 3]];
}

describe("table export", () => {
  it("writes an XLSX whose rows are the rows given, formula-safe, not cached", async () => {
    const res = tableExportResponse({ format: "xlsx", filename: "任务清单", sheetName: "任务", header: ["姓名", "身份证号", "序号"], rows: batches() });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("任务清单.xlsx")}`);
    const file = path.join(dir, "a.xlsx");
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const rows: string[][] = [];
    for await (const r of readFirstSheet(file, () => {})) rows.push([...r.cells]);
    expect(rows).toEqual([
      ["姓名", "身份证号", "序号"],
      ["张三", "3204**********1234", "1"],
      ["'=HYPERLINK(\"x\")", "", "2"],
      ["李\"四\",五", "'-", "3"],
    ]);
  });

  it("writes a CSV with a BOM and quoted fields", async () => {
    const res = tableExportResponse({ format: "csv", filename: "list", sheetName: "x", header: ["a", "b"], rows: [["1,2", "+3"], ["x", null]] });
    expect(res.headers.get("content-type")).toContain("text/csv");
    // The BOM makes Excel read the file as UTF-8 (Response.text() would drop it, so read the bytes).
    const text = Buffer.from(await res.arrayBuffer()).toString("utf8");
    expect(text).toBe('\uFEFFa,b\r\n"1,2",\'+3\r\nx,\r\n');
  });

  it("leaves numbers and plain text alone", () => {
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell("王五")).toBe("王五");
    expect(safeCell(undefined)).toBe("");
  });
});

describe("page numbers", () => {
  it("shows the first, the last and two each side of the current page, with gaps", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageWindow(6, 120)).toEqual([1, 0, 4, 5, 6, 7, 8, 0, 120]);
    expect(pageWindow(120, 120)).toEqual([1, 0, 118, 119, 120]);
    expect(pageWindow(3, 10)).toEqual([1, 2, 3, 4, 5, 0, 10]);
  });
});
