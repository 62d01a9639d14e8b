import { forbidden } from "next/navigation";
import Link from "next/link";
import { AnalysisForm } from "@/components/stats/analysis-form";
import { AnalysisView } from "@/components/stats/analysis-view";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { saveAnalysisAction, submitAnalysisAction } from "@/lib/stats/actions";
import { analysisReport } from "@/lib/stats/analysis";

export const dynamic = "force-dynamic";

// 分析报告 of a district (?region=, the user's own district by default; ?month=YYYY-MM). The district
// reviewer writes the commentary and submits the report (报送); the city opens submitted reports.
// Scoped in lib/stats/analysis.ts: another district's report is not found.
export default async function AnalysisPage({ searchParams }: { searchParams: Promise<{ region?: string; month?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "stats:view")) forbidden();
  const sp = await searchParams;
  const res = await guarded(analysisReport(user, sp.region ?? user.regionCode ?? "", sp.month));
  if (!res.ok) refusePage(res.refusal);
  const r = res.value;
  const editable = !r.submitted && can(user, "stats:report", r.region.code);
  return (
    <div className="space-y-3" data-testid="analysis-page">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">
          {r.region.name} {t("analysis.title")}（{r.month}）
        </h1>
        <Link href={`/print/stats/analysis?region=${r.region.code}&month=${r.month}`} className="text-sm text-blue-700 underline" data-testid="analysis-print-link">
          {t("analysis.print")}
        </Link>
        <Link href={`/stats?region=${r.region.code}`} className="text-sm text-blue-700 underline">
          {t("stats.persons.back")}
        </Link>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-3">
        <AnalysisView t={t} r={r} />
      </section>
      {editable && (
        <section className="rounded-lg border border-slate-200 bg-white p-3">
          <AnalysisForm
            save={saveAnalysisAction}
            submit={submitAnalysisAction}
            district={r.region.code}
            month={r.month}
            version={r.version}
            commentary={r.commentary}
            labels={{ commentary: t("analysis.commentary"), hint: t("analysis.commentaryHint"), save: t("analysis.save"), submit: t("analysis.submit"), confirm: t("analysis.submitConfirm") }}
          />
        </section>
      )}
    </div>
  );
}
