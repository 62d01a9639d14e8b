import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { allBatches, batchFilterOf } from "@/lib/import/batch-list";
import { single } from "@/lib/lists/url";
import { can } from "@/lib/policy";

// GET /api/imports/export?kind=…&status=…&from=…&to=…&q=…&format=xlsx|csv: the batches of /imports
// with the page's filters, every page; labels, with the codes in `_code` columns.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "import:run")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const filter = batchFilterOf(sp);
  const format = exportFormat(sp.format);
  const rows = await allBatches(user, filter);
  await writeAudit(user, { action: "import.list-export", entity: "import_batch", detail: { format, filters: filter, rows: rows.length } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: t("import.batches"),
    sheetName: t("import.batches"),
    header: [t("import.batch"), t("import.kind"), "kind_code", t("import.fileName"), t("import.importedBy"), t("import.importedAt"), t("import.rowsRead"), t("import.rowsLoaded"), t("import.rowsInvalid"), t("import.status"), "status_code"],
    rows: rows.map((b) => [b.id, t(`import.kind.${b.kind}` as TMessageKey), b.kind, b.fileName, b.importedBy ?? "", b.importedAt.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }), b.rowsRead, b.rowsLoaded, b.rowsInvalid, t(`import.status.${b.status}` as TMessageKey), b.status]),
  });
}
