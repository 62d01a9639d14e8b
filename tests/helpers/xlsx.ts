import fs from "node:fs";
import zlib from "node:zlib";

// Workbooks made by hand, byte by byte: a zip (local headers, central directory, end record) of the
// parts given, deflated or stored. The tests use it for what no workbook writer produces on
// purpose: broken UTF-8 inside a part, a wrong CRC, prefixed XML, a character placed across an
// inflate chunk boundary.

export interface ZipPart {
  name: string;
  data: Buffer | string;
  /** Store instead of deflating. */
  stored?: boolean;
  /** Write this CRC-32 instead of the right one. */
  crc?: number;
}

export function zipBytes(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = typeof p.data === "string" ? Buffer.from(p.data, "utf8") : p.data;
    const body = p.stored ? data : zlib.deflateRawSync(data);
    const crc = p.crc ?? zlib.crc32(data);
    const name = Buffer.from(p.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(p.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(p.stored ? 0 : 8, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export interface HandWorkbook {
  /** Sheet XML bodies (the <sheetData> content or a whole part), in file order: sheet1.xml, sheet2.xml … */
  sheets: (Buffer | string)[];
  /** Which file each <sheet> of the workbook names, in tab order (default: 1, 2, …). */
  tabOrder?: number[];
  sharedStrings?: Buffer | string;
  styles?: string;
  date1904?: boolean;
  /** Override parts (e.g. a wrong CRC for one). */
  tweak?: (parts: ZipPart[]) => void;
}

/** A whole sheet part around `sheetData` rows, unless the body is already a whole part. */
export function sheetPart(body: Buffer | string): Buffer {
  const b = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (b.subarray(0, 5).toString() === "<?xml") return b;
  return Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}><sheetData>`), b, Buffer.from("</sheetData></worksheet>")]);
}

/** The shared-strings part of `items` (each an <si> body, or plain text for a <t>). */
export function sharedStringsPart(items: (string | Buffer)[]): Buffer {
  const body = items.map((i) => (typeof i === "string" ? Buffer.from(i.startsWith("<") ? `<si>${i}</si>` : `<si><t xml:space="preserve">${escapeXml(i)}</t></si>`) : Buffer.concat([Buffer.from("<si><t>"), i, Buffer.from("</t></si>")])));
  return Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="${items.length}" uniqueCount="${items.length}">`), ...body, Buffer.from("</sst>")]);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function workbookBytes(wb: HandWorkbook): Buffer {
  const order = wb.tabOrder ?? wb.sheets.map((_, i) => i + 1);
  const parts: ZipPart[] = [
    { name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>` },
    { name: "_rels/.rels", data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    {
      name: "xl/workbook.xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}>${wb.date1904 ? '<workbookPr date1904="1"/>' : ""}<sheets>${order.map((n, i) => `<sheet name="S${n}" sheetId="${i + 1}" r:id="rIdS${n}"/>`).join("")}</sheets></workbook>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${wb.sheets.map((_, i) => `<Relationship Id="rIdS${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("")}<Relationship Id="rIdSS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdST" Type="${REL}/styles" Target="/xl/styles.xml"/></Relationships>`,
    },
    ...wb.sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetPart(s) })),
  ];
  if (wb.sharedStrings !== undefined) parts.push({ name: "xl/sharedStrings.xml", data: wb.sharedStrings });
  if (wb.styles !== undefined) parts.push({ name: "xl/styles.xml", data: `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}>${wb.styles}</styleSheet>` });
  wb.tweak?.(parts);
  return zipBytes(parts);
}

export function writeWorkbook(file: string, wb: HandWorkbook): string {
  fs.writeFileSync(file, workbookBytes(wb));
  return file;
}
