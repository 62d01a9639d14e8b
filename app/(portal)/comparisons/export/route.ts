import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { allRuns, RUN_BASES, RUN_STATUSES, type RunFilter } from "@/lib/comparison/run-list";
import { CATEGORIES } from "@/lib/comparison/run";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { dateParam, oneOf, single } from "@/lib/lists/url";
import { can } from "@/lib/policy";

// GET /comparisons/export?status=…&basis=…&from=…&to=…&q=…&format=xlsx|csv: the runs of /comparisons
// with the page's filters, every page; labels, with the codes in `_code` columns.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "comparison:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const filter: RunFilter = { status: oneOf(RUN_STATUSES, sp.status), basis: oneOf(RUN_BASES, sp.basis), from: dateParam(sp.from), to: dateParam(sp.to), q: sp.q?.trim().slice(0, 40) || undefined };
  const format = exportFormat(sp.format);
  const runs = await allRuns(user, filter);
  await writeAudit(user, { action: "comparison.list-export", entity: "comparison_run", regionCode: user.regionCode, detail: { format, filters: filter, rows: runs.length } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: t("comparison.title"),
    sheetName: t("comparison.title"),
    header: ["#", t("comparison.asOf"), t("comparison.basis"), "basis_code", t("comparison.status"), "status_code", t("comparison.startedAt"), t("lists.startedBy"), t("comparison.duration"), t("comparison.persons"), ...CATEGORIES.flatMap((c) => [t(`comparison.category.${c}` as TMessageKey)])],
    rows: runs.map((r) => [
      r.id,
      r.asOf,
      t(`comparison.basis.${r.basis}` as TMessageKey),
      r.basis,
      t(`comparison.status.${r.status}` as TMessageKey),
      r.status,
      r.startedAt.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }),
      r.startedBy ?? "",
      r.durationMs != null ? t("comparison.seconds", { s: (r.durationMs / 1000).toFixed(1) }) : "",
      r.counts?.persons ?? null,
      ...CATEGORIES.map((c) => r.counts?.byCategory?.[c] ?? null),
    ]),
  });
}
