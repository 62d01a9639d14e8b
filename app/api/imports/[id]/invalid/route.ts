import { PassThrough, Readable } from "node:stream";
import { to as copyTo } from "pg-copy-streams";
import { auditRefusal, writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { pool } from "@/lib/db/client";
import { getBatch, RECORD_TABLE } from "@/lib/import/queries";
import { can } from "@/lib/policy";
import { parseId } from "@/lib/http/params";

// GET /api/imports/:id/invalid: the batch's invalid rows as CSV (UTF-8 with BOM, so that Excel opens
// it), streamed from COPY. The raw ID is included unmasked — the file exists to correct the source
// system — so every download is written to the audit log first.

export const runtime = "nodejs";

const SAFE = (column: string) => `CASE WHEN left(${column}, 1) IN ('=', '+', '-', '@') THEN '''' || ${column} ELSE ${column} END`;
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user || !can(user, "import:run")) return new Response("forbidden", { status: 403 });
  const id = parseId((await params).id);
  const batch = id !== null ? await getBatch(user, id) : null;
  const table = batch ? RECORD_TABLE[batch.kind] : null;
  if (!batch) {
    await auditRefusal(user, "not-found", { export: "import-invalid", batchId: (await params).id.slice(0, 20) });
    return new Response("not found", { status: 404 });
  }
  // An unmasked export: the stated reason is required and kept in the audit row.
  const reason = (new URL(request.url).searchParams.get("reason") ?? "").trim().slice(0, 200);
  if (!reason) return new Response((await getT())("export.reasonRequired"), { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  await writeAudit(user, { action: "import.export-invalid", entity: "import_batch", entityId: String(id), reason, detail: { kind: batch.kind, unmasked: true, rows: batch.rowsInvalid } });

  const out = new PassThrough();
  out.write("\uFEFF");
  if (!table) out.end("line,id_raw,name,reason\n");
  else {
    const client = await pool().connect();
    // COPY takes no parameters: the id is a checked integer and the table comes from RECORD_TABLE.
    const copy = client.query(
      // A cell starting with = + - @ would run as a formula in Excel (CSV injection): quote it with '.
      copyTo(
        `COPY (SELECT line_no AS line, ${SAFE("id_raw")} AS id_raw, ${SAFE("name")} AS name, id_invalid AS reason FROM ${table} WHERE batch_id = ${id} AND id_invalid IS NOT NULL ORDER BY line_no) TO STDOUT WITH (FORMAT csv, HEADER true)`,
      ),
    );
    let released = false;
    const release = (err?: Error) => {
      if (!released) client.release(err);
      released = true;
    };
    copy.on("end", () => release());
    copy.on("error", (e: Error) => {
      release(e);
      out.destroy(e);
    });
    copy.pipe(out);
  }
  const safeName = `batch-${id}-invalid.csv`;
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: { "content-type": "text/csv; charset=utf-8", "cache-control": "no-store", "content-disposition": `attachment; filename="${safeName}"` },
  });
}
