import { auditActionLabel, auditDetailLines, auditEntityText } from "@/lib/audit/labels";
import { writeAudit } from "@/lib/audit/log";
import { countAudit, iterateAudit, ZAuditFilter } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { can } from "@/lib/policy";

// GET /audit/export?format=csv|xlsx&user=&person=&action=&region=&from=&to=: the auditor's filtered
// log as a file, with the actions' Chinese labels and the details as "key: value" text. The export
// is itself audited (with its filters and row count) before the first byte leaves.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "audit:view")) return new Response("forbidden", { status: 403 });
  const url = new URL(request.url);
  const format = exportFormat(url.searchParams.get("format") ?? "csv");
  const filter = ZAuditFilter.parse(Object.fromEntries(url.searchParams));
  const rows = await countAudit(user, filter);
  await writeAudit(user, { action: "audit.export", entity: "audit_log", regionCode: user.regionCode, detail: { format, filters: filter, rows } });
  const t = translator(await getLocale());
  // Regions by name (the region table is a few hundred rows: read once), codes in their own column.
  const regionNames = new Map((await prisma().region.findMany({ select: { code: true, name: true } })).map((r) => [r.code, r.name]));
  const header = [t("audit.at"), t("audit.user"), t("audit.action"), "action_code", t("audit.entity"), t("audit.region"), "region_code", t("audit.reason"), t("audit.detail")];
  const line = (r: { at: Date; userLogin: string | null; action: string; entity: string | null; entityId: string | null; regionCode: string | null; reason: string | null; detail: unknown }) => [
    r.at.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }),
    r.userLogin ?? "",
    auditActionLabel(t, r.action),
    r.action,
    auditEntityText(t, r.entity, r.entityId),
    r.regionCode ? (regionNames.get(r.regionCode) ?? "") : "",
    r.regionCode ?? "",
    r.reason ?? "",
    auditDetailLines(t, r.detail, regionNames)
      .map((l) => `${l.key}：${l.value}`)
      .join("；"),
  ];
  const batches = iterateAudit(user, filter);
  return tableExportResponse({
    format,
    filename: "audit-log",
    sheetName: t("audit.title"),
    header,
    rows: (async function* () {
      for await (const batch of batches) yield batch.map(line);
    })(),
  });
}
