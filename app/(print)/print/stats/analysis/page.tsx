import { forbidden } from "next/navigation";
import { AnalysisView } from "@/components/stats/analysis-view";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { analysisReport } from "@/lib/stats/analysis";

export const dynamic = "force-dynamic";

// 分析报告 on A4 (PDF via the browser's print): the same body as /stats/analysis, with the commentary.
export default async function PrintAnalysisPage({ searchParams }: { searchParams: Promise<{ region?: string; month?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "stats:view")) forbidden();
  const sp = await searchParams;
  const res = await guarded(analysisReport(user, sp.region ?? user.regionCode ?? "", sp.month));
  if (!res.ok) refusePage(res.refusal);
  const r = res.value;
  return (
    <article className="sheet" data-testid="print-analysis">
      <h1 className="text-center text-lg font-bold">
        {r.region.name} {t("analysis.title")}（{r.month}）
      </h1>
      <AnalysisView t={t} r={r} print />
    </article>
  );
}
