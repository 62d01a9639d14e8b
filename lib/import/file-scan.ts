import { isUtf8 } from "node:buffer";
import crypto from "node:crypto";
import fs from "node:fs";

// First pass over an import file, before anything touches the database: the checksum (a duplicate
// is refused before loading, import-formats.md) and the encoding. "A UTF-8 BOM means UTF-8; otherwise
// valid UTF-8 is UTF-8, and anything else is GB18030": the whole file must be checked before the
// choice is made, and doing it here (native isUtf8, no decoding) is cheaper than restarting a load.

export type TTextEncoding = "utf-8" | "utf-8-bom" | "gb18030";

export interface FileScan {
  sha256: string;
  size: number;
  /** Encoding of a text (CSV) file. */
  encoding: TTextEncoding;
}

/** Length of the UTF-8 sequence a lead byte starts (0 for a continuation or invalid byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Where a UTF-8 sequence cut by the chunk's end begins (chunk.length when the chunk ends complete). */
export function utf8IncompleteTail(chunk: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const i = chunk.length - back;
    const b = chunk[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for its lead
    const need = sequenceLength(b);
    return need > back ? i : chunk.length;
  }
  return chunk.length;
}

export async function scanFile(filePath: string): Promise<FileScan> {
  const hash = crypto.createHash("sha256");
  let size = 0;
  let utf8 = true;
  let bom = false;
  let carry: Buffer = Buffer.alloc(0);
  for await (const raw of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    hash.update(chunk);
    if (size === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bom = true;
    size += chunk.length;
    if (utf8 && !bom) {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const cut = utf8IncompleteTail(data);
      utf8 = isUtf8(data.subarray(0, cut));
      carry = Buffer.from(data.subarray(cut));
    }
  }
  if (carry.length) utf8 = false; // the file ends inside a multi-byte sequence
  return { sha256: hash.digest("hex"), size, encoding: bom ? "utf-8-bom" : utf8 ? "utf-8" : "gb18030" };
}
