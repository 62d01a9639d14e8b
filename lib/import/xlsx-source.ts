import fs from "node:fs";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import sax from "sax";
import yauzl from "yauzl";

// XLSX files (import-formats.md): the first sheet, read as a stream and never whole. Our own small
// reader over two maintained libraries: yauzl reads the zip through its central directory (the
// only reliable index of a zip; entries are inflated as streams, and we check each entry's CRC-32
// ourselves), and sax parses the XML. Between them every inflated chunk goes through one
// TextDecoder in stream mode, so a multi-byte character cut by a chunk boundary is joined, not
// replaced (exceljs's streaming reader decodes each chunk on its own and turns such a character into
// U+FFFD: exceljs #2063, #2316, open since 2021). Valid UTF-8 never decodes to U+FFFD, so a U+FFFD in
// any cell means a damaged file: it is refused with its row and column, never imported.
//
// What a cell carries, as the CSV format would: shared strings, inline strings and rich-text runs
// (phonetic runs <rPh> left out) as their text; numbers as written, whole numbers without a fraction
// ("1", not "1.0"); numbers in a date format as YYYY-MM-DD (1900 and 1904 date systems); booleans as
// 1/0; errors as empty. Formulas give their cached value. Empty rows are skipped. Each row keeps its
// sheet row number, which is the line that errors name (header = 1 when the sheet starts on row 1).

export interface SheetRow {
  line: number;
  cells: string[];
}

/** Why a workbook cannot be imported: a cell that does not decode (row and column known), or a damaged workbook. */
export class XlsxProblem extends Error {
  constructor(
    public readonly reason: "broken_text" | "unreadable_xlsx",
    public readonly line: number | null = null,
    /** 0-based column of the cell. */
    public readonly column: number | null = null,
    public readonly value: string | null = null,
  ) {
    super(`${reason}${line !== null ? ` at row ${line}` : ""}${column !== null ? `, column ${columnLetters(column)}` : ""}`);
  }
}

/** "A" for column 0, "AB" for column 27. */
export function columnLetters(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const REPLACEMENT = "\uFFFD";

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The text a number shows, as the CSV format would carry it. */
export function numberText(value: number): string {
  // Integers print without a fraction; toLocaleString avoids "1e+21" for very long numbers.
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? String(value) : value.toLocaleString("en-US", { useGrouping: false });
  return String(value);
}

/** YYYY-MM-DD of an Excel date serial (the day; a time of day is dropped). */
export function serialDate(serial: number, date1904: boolean): string {
  const day = Math.floor(serial);
  // The 1900 system counts a 29 February 1900 that never was (serial 60), so from serial 61 on day 0 is 1899-12-30.
  const base = date1904 ? Date.UTC(1904, 0, 1) : day >= 61 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const d = new Date(base + day * 86_400_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Built-in number formats that show dates (ECMA-376 §18.8.30, with the CJK ids 27–36 and 50–58). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a custom number format shows a date: a d, m, y, h or s outside quoted text, escapes, [..] parts and padding. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/[_*]./g, "")
    .replace(/General/gi, "");
  return /[dmyhs]/i.test(bare);
}

// ---------------------------------------------------------------------------------------------
// The zip: yauzl, through the central directory.

type Entries = Map<string, yauzl.Entry>;

function openZip(filePath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(filePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))),
  );
}

/** Every entry by its name in lower case (OPC part names compare case-insensitively). */
function readEntries(zip: yauzl.ZipFile): Promise<Entries> {
  return new Promise((resolve, reject) => {
    const entries: Entries = new Map();
    zip.on("entry", (e: yauzl.Entry) => {
      entries.set(e.fileName.replace(/^\//, "").toLowerCase(), e);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err) : resolve(stream))));
}

/** The encoding an XML part's first bytes announce by a byte order mark (UTF-8 otherwise). */
function xmlEncoding(first: Buffer): string {
  if (first[0] === 0xff && first[1] === 0xfe) return "utf-16le";
  if (first[0] === 0xfe && first[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/**
 * An entry's text, chunk by chunk, decoded by one TextDecoder in stream mode (a character cut by a
 * chunk boundary is completed by the next chunk). The entry's CRC-32 is checked at its end.
 */
async function* entryText(zip: yauzl.ZipFile, entry: yauzl.Entry, onInflated?: (bytes: number) => void): AsyncGenerator<string> {
  const stream = await openEntry(zip, entry);
  let decoder: TextDecoder | null = null;
  let crc = 0;
  let inflated = 0;
  try {
    for await (const raw of stream) {
      const chunk = raw as Buffer;
      crc = zlib.crc32(chunk, crc);
      inflated += chunk.length;
      decoder ??= new TextDecoder(xmlEncoding(chunk));
      const text = decoder.decode(chunk, { stream: true });
      onInflated?.(inflated);
      if (text) yield text;
    }
  } finally {
    stream.destroy();
  }
  const tail = decoder?.decode() ?? "";
  if (tail) yield tail;
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new XlsxProblem("unreadable_xlsx");
}

/** The local part of a possibly prefixed XML name ("x:row" → "row"). */
function local(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

interface XmlHandlers {
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  text?(text: string): void;
}

/** A strict sax parser calling the handlers with local names; a malformed part refuses the workbook. */
function xmlParser(h: XmlHandlers): sax.SAXParser {
  const p = sax.parser(true, { trim: false, normalize: false, position: false });
  p.onopentag = (tag) => h.open(local(tag.name), tag.attributes as Record<string, string>);
  p.onclosetag = (name) => h.close(local(name));
  if (h.text) {
    const text = h.text;
    p.ontext = (t) => text(t);
    p.oncdata = (t) => text(t);
  }
  p.onerror = () => {
    throw new XlsxProblem("unreadable_xlsx");
  };
  return p;
}

/** Parses a whole (small) part. */
async function parsePart(zip: yauzl.ZipFile, entry: yauzl.Entry, h: XmlHandlers): Promise<void> {
  const p = xmlParser(h);
  for await (const text of entryText(zip, entry)) p.write(text);
  p.close();
}

/** Resolves a relationship target against the folder of the part that names it. */
function resolvePart(from: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1).toLowerCase();
  const parts = from.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/").toLowerCase();
}

/** The relationships of a part: id → { type, target part }. */
async function relationships(zip: yauzl.ZipFile, entries: Entries, part: string): Promise<Map<string, { type: string; target: string }>> {
  const slash = part.lastIndexOf("/");
  const relsName = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`.toLowerCase();
  const rels = new Map<string, { type: string; target: string }>();
  const entry = entries.get(relsName);
  if (!entry) return rels;
  await parsePart(zip, entry, {
    open: (name, a) => {
      if (name === "Relationship" && a.Id && a.Target && a.TargetMode !== "External") rels.set(a.Id, { type: a.Type ?? "", target: resolvePart(part, a.Target) });
    },
    close: () => {},
  });
  return rels;
}

// ---------------------------------------------------------------------------------------------
// Shared strings, held compactly: one UTF-8 buffer and the end offset of each string (a million
// Chinese names take ~10 MB, not a million JavaScript strings).

class StringTable {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private ends = new Uint32Array(1024);
  count = 0;

  add(s: string): void {
    const need = Buffer.byteLength(s, "utf8");
    if (this.used + need > this.buf.length) {
      if (this.used + need > 0xffff_ffff) throw new XlsxProblem("unreadable_xlsx");
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.buf.write(s, this.used, "utf8");
    this.used += need;
    if (this.count === this.ends.length) {
      const bigger = new Uint32Array(this.ends.length * 2);
      bigger.set(this.ends);
      this.ends = bigger;
    }
    this.ends[this.count++] = this.used;
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    return this.buf.toString("utf8", i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/** The text of an <si> or <is>: its <t> directly or in rich-text runs <r>, never in phonetic runs <rPh>. */
class RichText {
  private inT = false;
  private phonetic = 0;
  text = "";

  open(name: string): void {
    if (name === "rPh") this.phonetic++;
    else if (name === "t" && this.phonetic === 0) this.inT = true;
  }

  close(name: string): void {
    if (name === "rPh") this.phonetic--;
    else if (name === "t") this.inT = false;
  }

  add(t: string): void {
    if (this.inT) this.text += t;
  }
}

async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<StringTable> {
  const table = new StringTable();
  let item: RichText | null = null;
  await parsePart(zip, entry, {
    open: (name) => {
      if (name === "si") item = new RichText();
      else item?.open(name);
    },
    close: (name) => {
      if (name === "si" && item) {
        table.add(item.text);
        item = null;
      } else item?.close(name);
    },
    text: (t) => item?.add(t),
  });
  return table;
}

/** Which cell formats (the s attribute, an index into <cellXfs>) show dates. */
async function readDateStyles(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined): Promise<boolean[]> {
  if (!entry) return [];
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  await parsePart(zip, entry, {
    open: (name, a) => {
      if (name === "numFmt") custom.set(Number(a.numFmtId), a.formatCode ?? "");
      else if (name === "cellXfs") inCellXfs = true;
      else if (name === "xf" && inCellXfs) formats.push(Number(a.numFmtId ?? 0));
    },
    close: (name) => {
      if (name === "cellXfs") inCellXfs = false;
    },
  });
  return formats.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id)));
}

/** 0-based column of a cell reference ("C12" → 2), or -1 when it has none. */
function refColumn(ref: string | undefined): number {
  if (!ref) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) & ~0x20; // upper case
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return i === 0 ? -1 : col - 1;
}

interface Workbook {
  zip: yauzl.ZipFile;
  sheet: yauzl.Entry;
  strings: StringTable;
  dateStyles: boolean[];
  date1904: boolean;
}

/** Finds the first sheet (the first <sheet> of the workbook, its tab order) and reads what its cells refer to. */
async function openWorkbook(zip: yauzl.ZipFile): Promise<Workbook> {
  const entries = await readEntries(zip);
  const root = await relationships(zip, entries, "");
  const workbookPart = [...root.values()].find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
  const workbookEntry = entries.get(workbookPart);
  if (!workbookEntry) throw new XlsxProblem("unreadable_xlsx");
  let firstSheetRel: string | null = null;
  let date1904 = false;
  await parsePart(zip, workbookEntry, {
    open: (name, a) => {
      if (name === "workbookPr") date1904 = a.date1904 === "1" || a.date1904 === "true";
      else if (name === "sheet" && firstSheetRel === null) firstSheetRel = Object.entries(a).find(([k]) => local(k) === "id" && k !== "sheetId")?.[1] ?? null;
    },
    close: () => {},
  });
  const rels = await relationships(zip, entries, workbookPart);
  const sheetPart = firstSheetRel ? rels.get(firstSheetRel)?.target : undefined;
  const sheet = sheetPart ? entries.get(sheetPart) : undefined;
  if (!sheet) throw new XlsxProblem("unreadable_xlsx");
  const byType = (suffix: string) => {
    const r = [...rels.values()].find((x) => x.type.endsWith(suffix));
    return r ? entries.get(r.target) : undefined;
  };
  const sharedEntry = byType("/sharedStrings");
  const strings = sharedEntry ? await readSharedStrings(zip, sharedEntry) : new StringTable();
  const dateStyles = await readDateStyles(zip, byType("/styles"));
  return { zip, sheet, strings, dateStyles, date1904 };
}

/** The rows of the sheet part, parsed as it streams; rows are handed over after each chunk. */
async function* sheetRows(wb: Workbook, onInflated: (bytes: number) => void): AsyncGenerator<SheetRow> {
  const ready: SheetRow[] = [];
  let rowNumber = 0;
  let cells: string[] = [];
  // the cell being read
  let col = -1;
  let type = "n";
  let style = 0;
  let value = "";
  let inValue = false;
  let inline: RichText | null = null;
  // A cell that does not decode: the rows before it are still handed over (the header names its
  // column), nothing after it is read, and then the workbook is refused.
  let problem: XlsxProblem | null = null;

  const cellValue = (): string => {
    if (value === "") return "";
    switch (type) {
      case "s": {
        const s = wb.strings.get(Number(value));
        if (s === undefined) throw new XlsxProblem("unreadable_xlsx", rowNumber, col);
        return s;
      }
      case "inlineStr":
        return value;
      case "str":
        return value;
      case "b":
        return value.trim() === "1" || value.trim() === "true" ? "1" : "0";
      case "e":
        return "";
      case "d":
        return value.trim().slice(0, 10);
      default: {
        const v = value.trim();
        if (v === "") return "";
        const n = Number(v);
        if (!Number.isFinite(n)) throw new XlsxProblem("unreadable_xlsx", rowNumber, col);
        return wb.dateStyles[style] ? serialDate(n, wb.date1904) : numberText(n);
      }
    }
  };

  const parser = xmlParser({
    open: (name, a) => {
      if (problem) return;
      if (inline) return inline.open(name);
      switch (name) {
        case "row":
          rowNumber = a.r ? Number(a.r) : rowNumber + 1;
          cells = [];
          col = -1;
          break;
        case "c": {
          const at = refColumn(a.r);
          col = at >= 0 ? at : col + 1;
          type = a.t ?? "n";
          style = a.s ? Number(a.s) : 0;
          value = "";
          break;
        }
        case "v":
          inValue = true;
          break;
        case "is":
          inline = new RichText();
          break;
      }
    },
    close: (name) => {
      if (problem) return;
      if (inline) {
        if (name !== "is") return inline.close(name);
        value = inline.text;
        inline = null;
        return;
      }
      if (name === "v") inValue = false;
      else if (name === "c") {
        const text = cellValue();
        if (text.includes(REPLACEMENT)) {
          problem = new XlsxProblem("broken_text", rowNumber, col, text);
          return;
        }
        while (cells.length < col) cells.push("");
        cells[col] = text;
      } else if (name === "row") {
        if (cells.some((c) => c.trim() !== "")) ready.push({ line: rowNumber, cells });
      }
    },
    text: (t) => {
      if (problem) return;
      if (inline) inline.add(t);
      else if (inValue) value += t;
    },
  });

  for await (const text of entryText(wb.zip, wb.sheet, onInflated)) {
    parser.write(text);
    if (ready.length) {
      yield* ready;
      ready.length = 0;
    }
    if (problem) throw problem;
  }
  parser.close();
  yield* ready;
}

/**
 * The non-empty rows of the workbook's first sheet. `onBytes` receives an estimate of the file's
 * bytes read so far (the sheet's share of the file, scaled by how much of it is inflated).
 */
export async function* readFirstSheet(filePath: string, onBytes: (bytes: number) => void): AsyncGenerator<SheetRow> {
  const fileSize = fs.statSync(filePath).size;
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(filePath);
  } catch {
    throw new XlsxProblem("unreadable_xlsx");
  }
  try {
    const wb = await openWorkbook(zip);
    const total = wb.sheet.uncompressedSize || 1;
    yield* sheetRows(wb, (inflated) => onBytes(Math.min(fileSize, Math.round((fileSize * inflated) / total))));
  } catch (e) {
    // Anything the zip, zlib or the XML parser throws means the workbook is damaged.
    if (e instanceof XlsxProblem) throw e;
    throw new XlsxProblem("unreadable_xlsx");
  } finally {
    zip.close();
  }
}
