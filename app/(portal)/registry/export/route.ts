import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { auditedSearch, parsePersonSearch } from "@/lib/lists/search";
import { oneOf, regionParam, single } from "@/lib/lists/url";
import { genderLabel } from "@/lib/registry/labels";
import { countRegistry, iterateRegistry, REGISTRY_STATUSES, type RegistryFilter } from "@/lib/registry/queries";
import { can, NotFoundError } from "@/lib/policy";

// GET /registry/export?q=…&s=…&status=…&region=…&format=xlsx|csv: the registry list with the page's
// filters and scope, every page, masked as on the page; labels with the codes in `_code` columns.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "person:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const fullId = sp.s ? idNumberOfRef(sp.s) : null;
  const filter: RegistryFilter = { q: fullId ?? sp.q?.slice(0, 40), status: oneOf(REGISTRY_STATUSES, sp.status), region: regionParam(sp.region) };
  const format = exportFormat(sp.format);
  let total: number;
  try {
    total = await countRegistry(user, filter);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  await writeAudit(user, { action: "registry.export", entity: "person", regionCode: filter.region ?? user.regionCode, detail: { format, filters: { q: auditedSearch(parsePersonSearch(filter.q)), status: filter.status, region: filter.region }, rows: total } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: t("registry.title"),
    sheetName: t("registry.title"),
    header: [t("survey.name"), t("registry.idNumber"), t("survey.gender"), "gender_code", t("registry.status"), "status_code", t("registry.region"), "region_code"],
    rows: (async function* () {
      for await (const batch of iterateRegistry(user, filter)) yield batch.map((r) => [r.name, r.maskedId, genderLabel(t, r.gender), r.gender ?? "", t(`status.${r.status}` as "status.NEEDS_SURVEY"), r.status, r.regionName ?? "", r.regionCode ?? ""]);
    })(),
  });
}
