import { forbidden } from "next/navigation";
import Link from "next/link";
import { AutoRefresh } from "@/components/comparison/auto-refresh";
import { ActionForm } from "@/components/ui/action-form";
import { startComparisonAction } from "@/lib/comparison/actions";
import { ExportLinks } from "@/components/lists/export-links";
import { Pager } from "@/components/ui/pager";
import { listRunsPage, RUN_BASES, RUN_PAGE_SIZE, RUN_STATUSES, type RunFilter } from "@/lib/comparison/run-list";
import { dateParam, oneOf, pageParam, type Search, single, withQuery } from "@/lib/lists/url";
import { CATEGORIES } from "@/lib/comparison/run";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { can, roleHas } from "@/lib/policy";
import { ApplyButton, DateRangeFields } from "@/components/lists/filter-fields";

// 数据比对: the runs (filtered by status, basis, start date and who started them; 20 a page with
// page numbers; exported with the same rows), and for city staff the form that starts one.
export default async function ComparisonsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "comparison:view")) forbidden();
  const sp = single(await searchParams);
  const filter: RunFilter = { status: oneOf(RUN_STATUSES, sp.status), basis: oneOf(RUN_BASES, sp.basis), from: dateParam(sp.from), to: dateParam(sp.to), q: sp.q?.trim().slice(0, 40) || undefined };
  const page = pageParam(sp.page);
  const { rows: runs, total } = await listRunsPage(user, filter, page);
  const kept = { ...filter };
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  const running = runs.some((r) => r.status === "RUNNING");
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="space-y-6">
      {running && <AutoRefresh />}
      <h1 className="text-2xl font-semibold">{t("comparison.title")}</h1>
      {roleHas(user.role, "comparison:run") && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-3 font-medium">{t("comparison.start")}</h2>
          <ActionForm action={startComparisonAction} submitLabel={t("comparison.start")} testId="comparison-start">
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("comparison.asOf")}</span>
              <input type="date" name="asOf" defaultValue={today} required className="rounded border border-slate-300 px-2 py-1.5" />
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("comparison.basis")}</span>
              <select name="basis" defaultValue="hukou" className="rounded border border-slate-300 px-2 py-1.5">
                <option value="hukou">{t("comparison.basis.hukou")}</option>
                <option value="residence">{t("comparison.basis.residence")}</option>
              </select>
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("comparison.deadline")}</span>
              <input type="date" name="deadline" className="rounded border border-slate-300 px-2 py-1.5" data-testid="comparison-deadline" />
            </label>
          </ActionForm>
        </section>
      )}
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" data-testid="runs-filter">
        <label className="flex flex-col">
          <span className="text-slate-600">{t("comparison.status")}</span>
          <select name="status" defaultValue={filter.status ?? ""} className={input}>
            <option value="">{t("lists.any")}</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>{t(`comparison.status.${s}` as TMessageKey)}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("comparison.basis")}</span>
          <select name="basis" defaultValue={filter.basis ?? ""} className={input}>
            <option value="">{t("lists.any")}</option>
            {RUN_BASES.map((b) => (
              <option key={b} value={b}>{t(`comparison.basis.${b}` as TMessageKey)}</option>
            ))}
          </select>
        </label>
        <DateRangeFields fromLabel={t("lists.startedFrom")} toLabel={t("lists.to")} from={filter.from} to={filter.to} />
        <label className="flex flex-col">
          <span className="text-slate-600">{t("lists.startedBy")}</span>
          <input name="q" defaultValue={filter.q ?? ""} maxLength={40} className={input} data-testid="runs-search" />
        </label>
        <ApplyButton label={t("lists.apply")} />
      </form>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Pager page={page} pageSize={RUN_PAGE_SIZE} total={total} href={(p) => withQuery("/comparisons", { ...kept, page: p })} t={t} testId="runs-pager" />
        {can(user, "export:run") && <ExportLinks href={(format) => withQuery("/comparisons/export", { ...kept, format })} t={t} testId="runs-export" />}
      </div>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="comparison-runs">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">#</th>
              <th className="px-3 py-2">{t("comparison.asOf")}</th>
              <th className="px-3 py-2">{t("comparison.basis")}</th>
              <th className="px-3 py-2">{t("comparison.status")}</th>
              <th className="px-3 py-2">{t("comparison.startedAt")}</th>
              <th className="px-3 py-2">{t("lists.startedBy")}</th>
              <th className="px-3 py-2 text-right">{t("comparison.duration")}</th>
              <th className="px-3 py-2 text-right">{t("comparison.persons")}</th>
              {CATEGORIES.map((c) => (
                <th key={c} className="px-3 py-2 text-right">{t(`comparison.category.${c}` as TMessageKey)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 && (
              <tr>
                <td colSpan={8 + CATEGORIES.length} className="px-3 py-4 text-slate-500">{t("comparison.noRuns")}</td>
              </tr>
            )}
            {runs.map((r) => {
              const p = r.status === "RUNNING" ? r.progress : undefined;
              return (
                <tr key={r.id} className="border-t border-slate-100" data-testid="run-row">
                  <td className="px-3 py-1.5">
                    <Link href={`/comparisons/${r.id}`} className="text-blue-700 hover:underline">{r.id}</Link>
                  </td>
                  <td className="px-3 py-1.5 tabular-nums">{r.asOf}</td>
                  <td className="px-3 py-1.5">{t(`comparison.basis.${r.basis}` as TMessageKey)}</td>
                  <td className="px-3 py-1.5">
                    {t(`comparison.status.${r.status}` as TMessageKey)}
                    {p && <span className="ml-1 text-slate-500">({t("comparison.progress", { step: p.done, total: p.total })})</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{r.startedAt.toLocaleString("zh-CN")}</td>
                  <td className="whitespace-nowrap px-3 py-1.5">{r.startedBy ?? "—"}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{r.durationMs != null ? t("comparison.seconds", { s: (r.durationMs / 1000).toFixed(1) }) : ""}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{r.counts?.persons?.toLocaleString("zh-CN") ?? ""}</td>
                  {CATEGORIES.map((c) => (
                    <td key={c} className="px-3 py-1.5 text-right tabular-nums">{r.counts?.byCategory?.[c]?.toLocaleString("zh-CN") ?? ""}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
