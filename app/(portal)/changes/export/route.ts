import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { changeFilterOf, countChanges, decidableStates, iterateChanges } from "@/lib/changes/list";
import { canSeeChanges } from "@/lib/changes/queries";
import { CHANGE_FIELDS } from "@/lib/changes/schema";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { maskIdNumber } from "@/lib/ids/id-number";
import { single } from "@/lib/lists/url";
import { can, NotFoundError } from "@/lib/policy";
import { fieldLabel, valueLabel } from "@/lib/registry/labels";

// GET /changes/export?…&format=xlsx|csv: the change requests of /changes with the page's filters and
// scope, every page; ID numbers masked as in the list; labels, and codes in `_code` columns.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !canSeeChanges(user) || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const filter = changeFilterOf(sp, decidableStates(user).length > 0);
  const format = exportFormat(sp.format);
  let counted: { total: number; q?: string };
  try {
    counted = await countChanges(user, filter);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  await writeAudit(user, { action: "change.export", entity: "change_request", regionCode: filter.region ?? user.regionCode, detail: { format, filters: { ...filter, q: counted.q }, rows: counted.total } });
  const t = translator(await getLocale());
  const shown = (field: (typeof CHANGE_FIELDS)[number], v: string | null) => (field === "idNumber" ? maskIdNumber(v ?? "") : valueLabel(t, field, v));
  return tableExportResponse({
    format,
    filename: t("change.title"),
    sheetName: t("change.title"),
    header: ["#", t("change.person"), t("registry.idNumber"), t("registry.region"), "region_code", t("change.fields"), "fields_code", t("lists.changes.kind"), "kind_code", t("change.state"), "state_code", t("change.requestedBy"), t("change.requestedAt"), t("review.comment")],
    rows: (async function* () {
      for await (const batch of iterateChanges(user, filter)) {
        yield batch.map((r) => {
          const fields = CHANGE_FIELDS.filter((f) => r.changes[f]);
          return [
            r.id,
            r.name ?? "",
            r.maskedId,
            r.regionName ?? "",
            r.regionCode,
            fields.map((f) => `${fieldLabel(t, f)}：${shown(f, r.changes[f]!.from) || "—"} → ${shown(f, r.changes[f]!.to)}`).join("；"),
            fields.join(";"),
            r.sensitive ? t("change.sensitive") : t("change.basic"),
            r.sensitive ? "sensitive" : "basic",
            t(`change.state.${r.state}`),
            r.state,
            r.requestedBy ?? "",
            r.createdAt.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }),
            r.comment ?? "",
          ];
        });
      }
    })(),
  });
}
