import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { limitedTo, UploadTooLarge } from "@/lib/http/limited-stream";
import { safeDecode } from "@/lib/http/params";
import { logError } from "@/lib/log";
import { isImportKind } from "@/lib/import/formats";
import { describeRefusal, ImportError } from "@/lib/import/import-error";
import { importFile } from "@/lib/import/import-file";
import { isJobId, type TImportResponse } from "@/lib/import/progress";
import { getJob, importJobKey, JobProgressWriter } from "@/lib/jobs/progress";
import { getT } from "@/lib/i18n/server";
import { can } from "@/lib/policy";

// POST /api/imports?kind=…&job=…&replace=1 with the file as the raw request body (X-File-Name header):
// streams the upload to a temporary file (never the whole file in memory), imports it as the signed-in
// city staff member, and answers TImportResponse. GET /api/imports?job=… answers the job's progress
// (bytes, rows) for the page's progress bar, from the database (lib/jobs/progress.ts), so that any
// portal process answers it. The permission is checked here, not in any proxy, and before a byte of
// the body is read; the size limit (UPLOAD_MAX_MB) is enforced while streaming.

export const runtime = "nodejs";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "import:run")) return NextResponse.json({ error: "forbidden" }, { status: 403 });
  const job = new URL(request.url).searchParams.get("job");
  const found = isJobId(job) ? await getJob(importJobKey(job), user.id) : null;
  if (!found) return NextResponse.json({ error: "not found" }, { status: 404 });
  return NextResponse.json({ phase: found.phase, bytes: found.done, totalBytes: found.total, rows: found.rows });
}

export async function POST(request: Request) {
  const t = await getT();
  const user = await currentUser();
  if (!user || !can(user, "import:run")) return NextResponse.json({ ok: false, message: t("error.forbidden") } satisfies TImportResponse, { status: 403 });
  const params = new URL(request.url).searchParams;
  const kind = params.get("kind") ?? "";
  const job = params.get("job");
  const fileName = (safeDecode(request.headers.get("x-file-name") ?? "") ?? "").replace(/[\\/]/g, "_").slice(0, 200);
  if (!isImportKind(kind) || !isJobId(job) || !fileName || !request.body) {
    return NextResponse.json({ ok: false, message: t("import.chooseFile") } satisfies TImportResponse, { status: 400 });
  }
  // The size limit: a declared length past it is refused before a byte is read; an undeclared or
  // understated one is cut off while streaming (LimitedStream), and the partial file removed.
  const maxBytes = env().UPLOAD_MAX_MB * 1024 * 1024;
  const tooLarge = () => NextResponse.json({ ok: false, message: t("import.tooLarge", { mb: env().UPLOAD_MAX_MB }) } satisfies TImportResponse, { status: 413 });
  const totalBytes = Number(request.headers.get("content-length") ?? 0) || 0;
  if (totalBytes > maxBytes) return tooLarge();
  const tmp = path.join(os.tmpdir(), `import-${crypto.randomUUID()}${path.extname(fileName).toLowerCase()}`);
  const shown = new JobProgressWriter(importJobKey(job), { kind, userId: user.id, fileName });
  shown.update({ phase: "uploading", done: 0, total: totalBytes, rows: 0 });
  try {
    // Bytes received so far are the upload's heartbeat (no database backend works for it yet).
    let received = 0;
    const body = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>).on("data", (chunk: Buffer) => shown.update({ done: (received += chunk.length) }));
    await pipeline(body, limitedTo(maxBytes), fs.createWriteStream(tmp));
    shown.update({ phase: "importing", done: 0, total: fs.statSync(tmp).size, rows: 0 });
    const result = await importFile({
      kind,
      filePath: tmp,
      fileName,
      replace: params.get("replace") === "1",
      userId: user.id,
      onBackend: (pid) => shown.update({ backendPid: pid }),
      onProgress: (p) => shown.update({ done: p.bytes, total: p.totalBytes, rows: p.rows }),
    });
    await shown.flush({ phase: "done", done: totalBytes, total: totalBytes, rows: result.rowsLoaded, backendPid: null });
    const message = t("import.done", { batchId: result.batchId, read: result.rowsRead, loaded: result.rowsLoaded, invalid: result.rowsInvalid });
    return NextResponse.json({ ok: true, ...result, message } satisfies TImportResponse);
  } catch (e) {
    if (e instanceof UploadTooLarge) {
      await shown.flush({ phase: "refused", backendPid: null, message: t("import.tooLarge", { mb: env().UPLOAD_MAX_MB }) });
      return tooLarge();
    }
    if (e instanceof ImportError) {
      await shown.flush({ phase: "refused", backendPid: null, message: describeRefusal(e.refusal, t) });
      return NextResponse.json({ ok: false, refusal: e.refusal, message: describeRefusal(e.refusal, t) } satisfies TImportResponse, { status: 422 });
    }
    logError("import upload", e);
    await shown.flush({ phase: "failed", backendPid: null });
    return NextResponse.json({ ok: false, message: t("error.generic") } satisfies TImportResponse, { status: 500 });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
