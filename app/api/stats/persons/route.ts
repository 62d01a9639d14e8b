import ExcelJS from "exceljs";
import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { translator } from "@/lib/i18n/messages";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { NotAllowedError, NotFoundError } from "@/lib/policy";
import { prisma } from "@/lib/db/client";
import { schemeLabel } from "@/lib/registry/labels";
import { personListAll } from "@/lib/stats/persons";

// GET /api/stats/persons?run=&region=&measure=&q=&format=csv|xlsx: the person list (人员明细) of a
// figure with exactly the list's rows (the same query, all pages), IDs masked as on screen. Every
// export is written to the audit log with its filters and row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// A cell starting with = + - @ would run as a formula in Excel: prefixed with '.
const safe = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return new Response("unauthorised", { status: 401 });
  const sp = new URL(request.url).searchParams;
  const format = sp.get("format") === "xlsx" ? "xlsx" : "csv";
  const query = {
    run: /^\d+$/.test(sp.get("run") ?? "") ? Number(sp.get("run")) : undefined,
    region: sp.get("region") ?? user.regionCode ?? "",
    measure: sp.get("measure") ?? "persons",
    q: (sp.get("q") ?? "").trim().slice(0, 40),
  };
  let list;
  try {
    list = await personListAll(user, query);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    if (e instanceof NotAllowedError) return new Response("forbidden", { status: 403 });
    throw e;
  }
  await writeAudit(user, { action: "stats.export-persons", entity: "comparison_run", entityId: String(list.runId), regionCode: /^\d+$/.test(query.region) ? query.region : user.regionCode, detail: { ...query, format, rows: list.rows.length } });

  const t = translator(await getLocale());
  // Region names as on the page (a lookup over the rows' codes, all within the list's scope).
  const names = new Map(
    (await prisma().region.findMany({ where: { code: { in: [...new Set(list.rows.map((r) => r.regionCode).filter((c): c is string => !!c))] } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]),
  );
  // Labels for the reader; the codes in columns of their own (`…_code`) for a machine.
  const header = [t("stats.persons.name"), t("stats.persons.id"), t("stats.persons.category"), "category_code", t("stats.persons.missing"), "missing_schemes_code", t("stats.persons.regionCol"), "region_code"];
  const rows = list.rows.map((r) => [
    safe(r.name), r.maskedId,
    t(`comparison.category.${r.category}` as TMessageKey), r.category,
    r.missingSchemes.map((s) => schemeLabel(t, s)).join("、"), r.missingSchemes.join(";"),
    r.regionCode ? (names.get(r.regionCode) ?? r.regionCode) : t("stats.elsewhereRow"), r.regionCode ?? "",
  ]);
  const name = `persons-${list.runId}-${query.region}-${query.measure.replace(":", "-")}`;
  if (format === "csv") {
    const body = `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
    return new Response(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` } });
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t("stats.persons.title"));
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  const buf = await wb.xlsx.writeBuffer();
  return new Response(buf as ArrayBuffer, {
    headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "content-disposition": `attachment; filename="${name}.xlsx"` },
  });
}
