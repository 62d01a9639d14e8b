import crypto from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import zlib from "node:zlib";
import { BackupError } from "./messages";

// The archive: a gzip stream of frames after the magic line. A frame is one type byte, a 4-byte
// big-endian payload length and the payload:
//   H  header (JSON): format, time, server version, the migrations applied, the partition layout,
//      the sequences, the tables in restore order with their columns
//   T  a table begins (JSON: its name)
//   D  a chunk of that table's rows, exactly as COPY … TO STDOUT (text format) wrote them
//   E  the table ends
//   M  the manifest (JSON): every table's row count and the SHA-256 of its COPY text, the sequences'
//      values and the SHA-256 of every byte before this frame. Nothing follows it.
// Streamed both ways: memory stays bounded whatever the database's size.

export const MAGIC = Buffer.from("ENROLMENT-BACKUP 1\n");
export const FORMAT = 1;

export type FrameType = "H" | "T" | "D" | "E" | "M";

export interface TableSpec {
  name: string;
  columns: string[];
  /** A partition: its parent and the bound (`FOR VALUES IN (…)`). */
  partitionOf?: { parent: string; bound: string };
}

export interface SequenceValue {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface Header {
  format: number;
  createdAt: string;
  serverVersion: string;
  migrations: { name: string; checksum: string }[];
  tables: TableSpec[];
  sequences: string[];
}

export interface Manifest {
  tables: { name: string; rows: number; sha256: string }[];
  sequences: SequenceValue[];
  archiveSha256: string;
}

/** Counts the rows of COPY text (one newline ends each row; newlines in values are escaped). */
export function countRows(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

export class ArchiveWriter {
  private readonly gzip = zlib.createGzip({ level: 6 });
  private readonly file: fs.WriteStream;
  private readonly hash = crypto.createHash("sha256");
  private readonly done: Promise<void>;

  constructor(path: string) {
    // Personal data: readable by the operator only.
    this.file = fs.createWriteStream(path, { flags: "wx", mode: 0o600 });
    this.gzip.pipe(this.file);
    this.done = new Promise((resolve, reject) => {
      this.file.on("finish", resolve);
      this.file.on("error", reject);
      this.gzip.on("error", reject);
    });
    this.done.catch(() => {});
  }

  async start(): Promise<void> {
    await this.raw(MAGIC);
  }

  private async raw(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    if (!this.gzip.write(bytes)) await Promise.race([once(this.gzip, "drain"), this.done]);
  }

  async frame(type: FrameType, payload: Buffer | string = Buffer.alloc(0)): Promise<void> {
    const body = typeof payload === "string" ? Buffer.from(payload) : payload;
    const head = Buffer.alloc(5);
    head.write(type, 0, "latin1");
    head.writeUInt32BE(body.length, 1);
    await this.raw(head);
    if (body.length) await this.raw(body);
  }

  /** SHA-256 of every byte written so far. */
  digest(): string {
    return this.hash.copy().digest("hex");
  }

  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
  }

  /** Gives up: the partial file is removed. */
  async abort(path: string): Promise<void> {
    this.gzip.destroy();
    this.file.destroy();
    fs.rmSync(path, { force: true });
  }
}

export interface Frame {
  type: FrameType;
  payload: Buffer;
  /** SHA-256 of every byte of the archive before this frame. */
  before: string;
}

/** Reads the frames of an archive; a damaged or cut-off file throws a BackupError. */
export async function* readFrames(path: string): AsyncGenerator<Frame> {
  if (!fs.existsSync(path)) throw new BackupError("backup.err.noFile", { file: path });
  const input = fs.createReadStream(path).pipe(zlib.createGunzip());
  const hash = crypto.createHash("sha256");
  let buf: Buffer = Buffer.alloc(0);
  let magicSeen = false;
  let ended = false;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (!magicSeen) {
        if (buf.length < MAGIC.length) continue;
        if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError("backup.err.notArchive", {});
        hash.update(buf.subarray(0, MAGIC.length));
        buf = buf.subarray(MAGIC.length);
        magicSeen = true;
      }
      while (buf.length >= 5) {
        const type = buf.toString("latin1", 0, 1) as FrameType;
        if (!"HTDEM".includes(type)) throw new BackupError("backup.err.corrupt", {});
        const len = buf.readUInt32BE(1);
        if (buf.length < 5 + len) break;
        const before = hash.copy().digest("hex");
        const frame = buf.subarray(0, 5 + len);
        hash.update(frame);
        buf = buf.subarray(5 + len);
        if (ended) throw new BackupError("backup.err.corrupt", {});
        if (type === "M") ended = true;
        yield { type, payload: Buffer.from(frame.subarray(5)), before };
      }
    }
  } catch (e) {
    if (e instanceof BackupError) throw e;
    const code = (e as { code?: string }).code ?? "";
    // zlib: a cut-off stream ends early; a changed byte breaks the data or its CRC.
    if (code === "Z_BUF_ERROR" || /unexpected end/i.test((e as Error).message)) throw new BackupError("backup.err.truncated", {});
    if (code.startsWith("Z_") || code === "ERR_INVALID_ARG_VALUE") throw new BackupError("backup.err.corrupt", {});
    throw e;
  }
  if (!magicSeen) throw new BackupError(buf.length ? "backup.err.notArchive" : "backup.err.truncated", {});
  if (buf.length > 0 || !ended) throw new BackupError("backup.err.truncated", {});
}

export function parseJson<T>(frame: Frame): T {
  try {
    return JSON.parse(frame.payload.toString("utf8")) as T;
  } catch {
    throw new BackupError("backup.err.corrupt", {});
  }
}
