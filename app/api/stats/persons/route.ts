import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { translator } from "@/lib/i18n/messages";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { NotAllowedError, NotFoundError } from "@/lib/policy";
import { prisma } from "@/lib/db/client";
import { schemeLabel } from "@/lib/registry/labels";
import { categoryLabelKey } from "@/lib/stats/format";
import { LIST_FILTERS, personListAll } from "@/lib/stats/persons";

// GET /api/stats/persons?run=&region=&measure=&category=&flag=&missing=&state=&reason=&q=&format=csv|xlsx:
// the person list (人员明细) of a figure with exactly the list's rows (the same query builder and
// filters, all pages), IDs masked as on screen. Every export is written to the audit log with its
// filters and row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";


export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return new Response("unauthorised", { status: 401 });
  const sp = new URL(request.url).searchParams;
  const format = exportFormat(sp.get("format"));
  const query = {
    run: /^\d+$/.test(sp.get("run") ?? "") ? Number(sp.get("run")) : undefined,
    region: sp.get("region") ?? user.regionCode ?? "",
    measure: sp.get("measure") ?? "persons",
    q: (sp.get("q") ?? "").trim().slice(0, 40),
    ...Object.fromEntries(LIST_FILTERS.map((k) => [k, sp.get(k) ?? undefined])),
  };
  let list;
  try {
    list = await personListAll(user, query);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    if (e instanceof NotAllowedError) return new Response("forbidden", { status: 403 });
    throw e;
  }
  await writeAudit(user, { action: "stats.export-persons", entity: "comparison_run", entityId: list.runId === null ? undefined : String(list.runId), regionCode: /^\d+$/.test(query.region) ? query.region : user.regionCode, detail: { filters: { run: list.runId, region: query.region, measure: query.measure, q: query.q, ...list.filters }, format, rows: list.rows.length } });

  const t = translator(await getLocale());
  // Region names as on the page (a lookup over the rows' codes, all within the list's scope).
  const names = new Map(
    (await prisma().region.findMany({ where: { code: { in: [...new Set(list.rows.map((r) => r.regionCode).filter((c): c is string => !!c))] } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]),
  );
  // Labels for the reader; the codes in columns of their own (`…_code`) for a machine.
  const header = [
    t("stats.persons.name"), t("stats.persons.id"), t("stats.persons.category"), "category_code", t("stats.persons.missing"), "missing_schemes_code",
    t("stats.persons.flags"), "flags_code", t("stats.persons.taskState"), "task_state_code", t("stats.persons.regionCol"), "region_code",
  ];
  const rows = list.rows.map((r) => [
    r.name, r.maskedId,
    t(categoryLabelKey(r.category)), r.category,
    r.missingSchemes.map((s) => schemeLabel(t, s)).join("、"), r.missingSchemes.join(";"),
    r.flags.map((f) => t(`comparison.flag.${f}` as TMessageKey)).join("、"), r.flags.join(";"),
    r.taskState ? t(`task.state.${r.taskState}` as TMessageKey) : "", r.taskState ?? "",
    r.regionCode ? (names.get(r.regionCode) ?? r.regionCode) : t("stats.elsewhereRow"), r.regionCode ?? "",
  ]);
  const filename = `persons-${list.runId ?? "live"}-${query.region}-${query.measure.replace(":", "-")}`;
  return tableExportResponse({ format, filename, sheetName: t("stats.persons.title"), header, rows });
}
