import { forbidden } from "next/navigation";
import Link from "next/link";
import { AUDIT_ACTIONS, auditActionLabel, auditDetailLines, auditEntityText } from "@/lib/audit/labels";
import { AUDIT_PAGE_SIZE, listAudit, type TAuditFilter, ZAuditFilter } from "@/lib/audit/queries";
import { requireUser } from "@/lib/auth/session";
import { parsePage } from "@/lib/http/params";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { ApplyButton, DateRangeFields } from "@/components/lists/filter-fields";

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

function query(f: TAuditFilter, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Only the first value of a repeated parameter. */
function single(sp: Search): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

// 审计日志: the auditor searches the log by user, person, action, region and time; every action has
// its Chinese label and every detail reads as "key: value". Paged, exported to CSV/XLSX (audited).
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "audit:view")) forbidden();
  const sp = single(await searchParams);
  const filter = ZAuditFilter.parse(sp);
  const page = parsePage(sp.page);
  const { rows, total, regionNames } = await listAudit(user, filter, page);
  const input = "rounded border border-slate-300 px-2 py-1.5";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("audit.title")}</h1>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" data-testid="audit-filter">
        <label className="flex flex-col">
          <span className="text-slate-600">{t("audit.filter.user")}</span>
          <input name="user" defaultValue={filter.user ?? ""} maxLength={40} className={input} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("audit.filter.person")}</span>
          <input name="person" defaultValue={filter.person ?? ""} maxLength={18} className={`${input} font-mono`} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("audit.filter.action")}</span>
          <select name="action" defaultValue={filter.action ?? ""} className={input}>
            <option value="">{t("audit.filter.any")}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(t, a)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("audit.filter.region")}</span>
          <input name="region" defaultValue={filter.region ?? ""} maxLength={12} inputMode="numeric" className={`${input} w-32`} />
        </label>
        <DateRangeFields fromLabel={t("audit.filter.from")} toLabel={t("audit.filter.to")} from={filter.from} to={filter.to} />
        <ApplyButton label={t("audit.filter.apply")} />
        <a href={`/audit/export${query(filter, { format: "csv" })}`} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50" data-testid="audit-export-csv">
          {t("audit.export.csv")}
        </a>
        <a href={`/audit/export${query(filter, { format: "xlsx" })}`} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
          {t("audit.export.xlsx")}
        </a>
      </form>
      <p className="text-sm text-slate-600" data-testid="audit-total">
        {t("audit.total", { n: total })}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("audit.at")}</th>
              <th className="px-3 py-2">{t("audit.user")}</th>
              <th className="px-3 py-2">{t("audit.action")}</th>
              <th className="px-3 py-2">{t("audit.entity")}</th>
              <th className="px-3 py-2">{t("audit.region")}</th>
              <th className="px-3 py-2">{t("audit.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.id)} className="border-t border-slate-100 align-top" data-testid="audit-row">
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{r.at.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}</td>
                <td className="px-3 py-1.5">{r.userLogin ?? "—"}</td>
                <td className="px-3 py-1.5" title={r.action}>
                  {auditActionLabel(t, r.action)}
                </td>
                <td className="break-all px-3 py-1.5">{auditEntityText(t, r.entity, r.entityId)}</td>
                <td className="px-3 py-1.5">
                  {r.regionCode ? (regionNames.get(r.regionCode) ?? "") : ""} <span className="tabular-nums text-xs text-slate-500">{r.regionCode ?? ""}</span>
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-700">
                  <dl className="space-y-0.5">
                    {r.reason && (
                      <div>
                        <dt className="inline text-slate-500">{t("audit.reason")}：</dt>
                        <dd className="inline break-all">{r.reason}</dd>
                      </div>
                    )}
                    {auditDetailLines(t, r.detail, regionNames).map((line, i) => (
                      <div key={i}>
                        <dt className="inline text-slate-500">{line.key}：</dt>
                        <dd className="inline break-all">{line.value}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex gap-3 text-sm">
        {page > 0 && (
          <Link href={`/audit${query(filter, { page: page - 1 })}`} className="text-blue-700 underline">
            {t("common.prev")}
          </Link>
        )}
        {(page + 1) * AUDIT_PAGE_SIZE < total && (
          <Link href={`/audit${query(filter, { page: page + 1 })}`} className="text-blue-700 underline" data-testid="audit-next">
            {t("common.next")}
          </Link>
        )}
      </div>
    </div>
  );
}
