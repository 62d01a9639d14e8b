import { forbidden } from "next/navigation";
import Link from "next/link";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { filterQuery, ledgerCells } from "@/lib/outreach/format";
import { enrolledByCommunity, ledgerSummary, openLedger } from "@/lib/outreach/queries";
import { cleanLedgerFilter, ENTRY_STATUSES } from "@/lib/outreach/schema";
import { ensureSettled } from "@/lib/outreach/settle";
import { can, guarded } from "@/lib/policy";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

// 动员参保工作台账 (statistics.md §5): the persons to mobilise in the actor's region, what each lacks,
// contact data and the survey's reason; the ledger's figures and enrolled per community and month.
// Every opening writes an audit row (lib/outreach/queries.ts openLedger).
export default async function OutreachPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "outreach:view")) forbidden();
  const raw = await searchParams;
  const filter = cleanLedgerFilter(raw);
  const page = Math.max(0, Number(raw.page) || 0);
  const latestRun = await ensureSettled();
  const loaded = await guarded(Promise.all([openLedger(user, filter, page, "view", PAGE_SIZE), ledgerSummary(user, filter.region), enrolledByCommunity(user, filter.region)]));
  if (!loaded.ok) refusePage(loaded.refusal);
  const [{ rows, total }, summary, enrolled] = loaded.value;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const input = "rounded border border-slate-300 px-2 py-1.5";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("outreach.title")}</h1>
      <p className="text-sm text-slate-600">{t("outreach.intro")}</p>
      {latestRun === null && <p className="text-sm text-amber-800">{t("outreach.noRun")}</p>}

      <section className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="outreach-summary">
        <h2 id="outreach-summary" className="mb-2 font-medium">
          {t("outreach.summary")}
        </h2>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-6" data-testid="outreach-summary">
          {(
            [
              ["outreach.entries", summary.entries],
              ["outreach.open", summary.open],
              ["outreach.enrolled", summary.enrolled],
              ["outreach.closed", summary.closed],
            ] as const
          ).map(([k, v]) => (
            <div key={k}>
              <dt className="text-slate-500">{t(k)}</dt>
              <dd className="text-lg tabular-nums">{v}</dd>
            </div>
          ))}
          <div>
            <dt className="text-slate-500">{t("outreach.overdueCount")}</dt>
            <dd className="text-lg tabular-nums">
              <Link href={`/outreach${filterQuery({ region: filter.region, overdue: true })}`} className={summary.overdue ? "text-red-700 underline" : "text-blue-700 underline"} data-testid="outreach-overdue-count">
                {summary.overdue}
              </Link>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("outreach.conversion")}</dt>
            <dd className="text-lg tabular-nums" data-testid="outreach-conversion">
              {(summary.conversion * 100).toFixed(1)}%
            </dd>
          </div>
        </dl>
      </section>

      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search">
        <label className="flex min-w-0 flex-1 flex-col sm:max-w-xs">
          <span className="text-slate-600">{t("outreach.search")}</span>
          <input name="q" defaultValue={filter.q ?? ""} maxLength={40} className={input} data-testid="outreach-search" />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("outreach.region")}</span>
          <input name="region" defaultValue={filter.region ?? ""} inputMode="numeric" maxLength={12} className={`${input} w-36 font-mono`} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("outreach.statusFilter")}</span>
          <select name="status" defaultValue={filter.status ?? "OPEN"} className={input}>
            {ENTRY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`outreach.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 py-1.5">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filter.overdue} data-testid="outreach-overdue" />
          {t("outreach.overdueOnly")}
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">
          {t("outreach.searchSubmit")}
        </button>
      </form>

      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="outreach-total">{t("outreach.total", { n: total })}</span>
        <Link href={`/print/outreach${filterQuery(filter)}`} className="text-blue-700 underline" data-testid="outreach-print">
          {t("outreach.print")}
        </Link>
        {can(user, "export:run") && (
          <a href={`/outreach/export${filterQuery(filter)}`} className="text-blue-700 underline" data-testid="outreach-export">
            {t("outreach.export")}
          </a>
        )}
      </div>

      {rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="outreach-empty">
          {t("outreach.empty")}
        </p>
      ) : (
        <ul className="space-y-2" data-testid="outreach-list">
          {rows.map((r) => {
            const c = ledgerCells(t, r);
            return (
              <li key={r.entryId} className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="outreach-row">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link href={`/outreach/${r.entryId}`} className="text-base font-medium text-blue-700 hover:underline">
                    {c.name || "—"}
                  </Link>
                  <span className="font-mono text-xs text-slate-500">{c.id}</span>
                </div>
                <dl className="mt-1 grid grid-cols-1 gap-x-4 gap-y-0.5 sm:grid-cols-2 lg:grid-cols-3">
                  <Cell label={t("outreach.col.community")} value={c.community} />
                  <Cell label={t("outreach.col.category")} value={c.category} />
                  <Cell label={t("outreach.col.missing")} value={c.missing} />
                  {c.interrupted && <Cell label={t("outreach.col.interrupted")} value={c.interrupted} />}
                  <Cell label={t("outreach.col.phone")} value={c.phone} mono />
                  <Cell label={t("outreach.col.address")} value={c.address} />
                  {c.reason && <Cell label={t("outreach.col.reason")} value={c.reason} />}
                  {c.lastContact && <Cell label={t("outreach.col.lastContact")} value={c.lastContact} />}
                  {c.promised && <Cell label={t("outreach.col.promised")} value={c.promised} warn={r.overdue} />}
                </dl>
              </li>
            );
          })}
        </ul>
      )}

      {pages > 1 && (
        <nav className="flex items-center gap-3 text-sm" aria-label="pagination">
          {page > 0 && (
            <Link href={`/outreach${filterQuery(filter, { page: page - 1 })}`} className="text-blue-700 underline">
              {t("outreach.prev")}
            </Link>
          )}
          <span>{t("outreach.page", { page: page + 1, pages })}</span>
          {page + 1 < pages && (
            <Link href={`/outreach${filterQuery(filter, { page: page + 1 })}`} className="text-blue-700 underline">
              {t("outreach.next")}
            </Link>
          )}
        </nav>
      )}

      <section className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="outreach-by-community">
        <h2 id="outreach-by-community" className="mb-2 font-medium">
          {t("outreach.byCommunity")}
        </h2>
        {enrolled.length === 0 ? (
          <p className="text-sm text-slate-600">{t("outreach.noEnrolled")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="outreach-enrolled">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-2 py-1">{t("outreach.month")}</th>
                  <th className="px-2 py-1">{t("outreach.col.community")}</th>
                  <th className="px-2 py-1 text-right">{t("outreach.enrolled")}</th>
                  <th className="px-2 py-1 text-right">{t("outreach.entries")}</th>
                </tr>
              </thead>
              <tbody>
                {enrolled.map((e) => (
                  <tr key={`${e.month}-${e.regionCode}`} className="border-t border-slate-100">
                    <td className="px-2 py-1 tabular-nums">{e.month}</td>
                    <td className="px-2 py-1">{e.regionName ?? e.regionCode ?? "—"}</td>
                    <td className="px-2 py-1 text-right tabular-nums">{e.enrolled}</td>
                    <td className="px-2 py-1 text-right tabular-nums">{e.entries}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function Cell({ label, value, mono, warn }: { label: string; value: string; mono?: boolean; warn?: boolean }) {
  return (
    <div className="flex gap-1">
      <dt className="shrink-0 text-slate-500">{label}：</dt>
      <dd className={`${mono ? "font-mono" : ""} ${warn ? "font-medium text-red-700" : ""} min-w-0 break-all`}>{value || "—"}</dd>
    </div>
  );
}
