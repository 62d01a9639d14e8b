import { forbidden } from "next/navigation";
import Link from "next/link";
import { RankingTable } from "@/components/quality/ranking-table";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import { assessment, chinaToday, doneRuns, INDICATORS } from "@/lib/quality/assessment";
import { setDeadlineAction, setWeightsAction } from "@/lib/quality/assessment-actions";

// 考核: the ranking of districts (city) or of the district's streets, for a run and a period; the
// city's settings (deadline, weights); a link to the printable bulletin (通报).
export const dynamic = "force-dynamic";

const isDate = (s: string | undefined) => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

export default async function AssessmentPage({ searchParams }: { searchParams: Promise<{ run?: string; from?: string; to?: string; within?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "assessment:view")) forbidden();
  const sp = await searchParams;
  const runs = await doneRuns();
  if (runs.length === 0) return <p className="text-slate-600">{t("assessment.noRun")}</p>;
  // By default the newest run whose survey tasks are being worked: a later run that opened no task of
  // its own (everyone still had one) has nothing to assess.
  const run = runs.find((r) => String(r.id) === sp.run) ?? runs.find((r) => r.tasks) ?? runs[0];
  const today = chinaToday();
  const to = isDate(sp.to) ? sp.to! : today;
  const from = isDate(sp.from) && sp.from! <= to ? sp.from! : run.asOf <= to ? run.asOf : to;
  const within = sp.within && /^\d{6}$/.test(sp.within) ? sp.within : undefined;
  const result = await guarded(assessment(user, { run: run.id, from, to }, within));
  if (!result.ok) refusePage(result.refusal);
  const a = result.value;
  const query = (extra: Record<string, string>) => new URLSearchParams({ run: String(run.id), from, to, ...extra }).toString();
  const input = "rounded border border-slate-300 px-2 py-1.5";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("assessment.title")}</h1>
      <p className="text-sm text-slate-600">{t("assessment.intro")}</p>
      <form className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" method="get">
        <label className="flex flex-col text-sm">
          <span className="text-slate-600">{t("assessment.run")}</span>
          <select name="run" defaultValue={run.id} className={input}>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>{t("assessment.runLabel", { id: r.id, asOf: r.asOf })}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span className="text-slate-600">{t("assessment.from")}</span>
          <input type="date" name="from" defaultValue={from} className={input} />
        </label>
        <label className="flex flex-col text-sm">
          <span className="text-slate-600">{t("assessment.to")}</span>
          <input type="date" name="to" defaultValue={to} className={input} />
        </label>
        {within && <input type="hidden" name="within" value={within} />}
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white">{t("assessment.show")}</button>
        <Link href={`/print/assessment?${query(within ? { within } : {})}`} className="text-sm text-blue-700 underline" data-testid="assessment-print">
          {t("assessment.print")}
        </Link>
      </form>
      <p className="text-sm">
        {t("assessment.deadline")}：{a.deadline ?? t("assessment.noDeadline")}
      </p>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2">
        <RankingTable t={t} rows={a.rows} streetsHref={a.level === "DISTRICT" ? (code) => `/assessment?${query({ within: code })}` : undefined} />
      </section>
      {roleHas(user.role, "assessment:settings") && (
        <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
          <ActionForm action={setDeadlineAction} submitLabel={t("assessment.setDeadline")} testId="assessment-deadline">
            <input type="hidden" name="run" value={run.id} />
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("assessment.deadline")}（{t("assessment.runLabel", { id: run.id, asOf: run.asOf })}）</span>
              <input type="date" name="deadline" required defaultValue={a.deadline ?? ""} className={input} />
            </label>
          </ActionForm>
          <ActionForm action={setWeightsAction} submitLabel={t("assessment.saveWeights")} testId="assessment-weights">
            <span className="w-full text-sm text-slate-600">{t("assessment.weights")}</span>
            {INDICATORS.map((k) => (
              <label key={k} className="flex flex-col text-sm">
                <span className="text-slate-600">{t(`assessment.ind.${k}` as TMessageKey)}</span>
                <input type="number" name={k} min={0} max={100} required defaultValue={a.weights[k]} className={`${input} w-24`} />
              </label>
            ))}
          </ActionForm>
        </section>
      )}
    </div>
  );
}
