import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { oneOf, regionParam, single } from "@/lib/lists/url";
import { can } from "@/lib/policy";
import { allRegions, REGION_LEVELS, type RegionFilter } from "@/lib/users/list";

// GET /admin/regions/export?q=…&level=…&under=…&format=xlsx|csv: the regions of /admin/regions with
// the page's filters, every page; the level's label with its code in `level_code`.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "admin:regions")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const filter: RegionFilter = { q: sp.q?.trim().slice(0, 40) || undefined, level: oneOf(REGION_LEVELS, sp.level), under: regionParam(sp.under) };
  const format = exportFormat(sp.format);
  const rows = await allRegions(user, filter);
  await writeAudit(user, { action: "region.export", entity: "region", detail: { format, filters: filter, rows: rows.length } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: t("nav.regions"),
    sheetName: t("nav.regions"),
    header: [t("region.code"), t("common.name"), t("region.level"), "level_code", t("lists.regions.parent"), "parent_code", t("lists.regions.children"), t("lists.regions.users")],
    rows: rows.map((r) => [r.code, r.name, t(`level.${r.level}` as TMessageKey), r.level, r.parentName ?? "", r.parentCode ?? "", r.children, r.users]),
  });
}
