import { forbidden } from "next/navigation";
import Link from "next/link";
import { AutoRefresh } from "@/components/comparison/auto-refresh";
import { ActionForm } from "@/components/ui/action-form";
import { startComparisonAction } from "@/lib/comparison/actions";
import { listRuns } from "@/lib/comparison/queries";
import { CATEGORIES } from "@/lib/comparison/run";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";

// 数据比对: the runs, and for city staff the form that starts one.
export default async function ComparisonsPage() {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "comparison:view")) forbidden();
  const runs = await listRuns(user);
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
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="comparison-runs">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">#</th>
              <th className="px-3 py-2">{t("comparison.asOf")}</th>
              <th className="px-3 py-2">{t("comparison.basis")}</th>
              <th className="px-3 py-2">{t("comparison.status")}</th>
              <th className="px-3 py-2">{t("comparison.startedAt")}</th>
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
                <td colSpan={7 + CATEGORIES.length} className="px-3 py-4 text-slate-500">{t("comparison.noRuns")}</td>
              </tr>
            )}
            {runs.map((r) => {
              const p = r.status === "RUNNING" ? r.progress : undefined;
              return (
                <tr key={r.id} className="border-t border-slate-100">
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
