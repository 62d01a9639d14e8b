import { notFound } from "next/navigation";
import { RankingTable } from "@/components/quality/ranking-table";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { assessment, chinaToday, INDICATORS, ZPeriod } from "@/lib/quality/assessment";

// 考核通报: the ranking for a run and a period on an A4 sheet (print.css), same figures as /assessment.
export const dynamic = "force-dynamic";

export default async function AssessmentBulletin({ searchParams }: { searchParams: Promise<{ run?: string; from?: string; to?: string; within?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  const sp = await searchParams;
  const parsed = ZPeriod.safeParse(sp);
  if (!parsed.success) notFound();
  const within = sp.within && /^\d{6}$/.test(sp.within) ? sp.within : undefined;
  const result = await guarded(assessment(user, parsed.data, within));
  if (!result.ok) refusePage(result.refusal);
  const a = result.value;
  const today = chinaToday();
  return (
    <div className="sheet sheet-landscape p-8" data-testid="assessment-bulletin">
      <h1 className="mb-2 text-center text-xl font-bold">{t("assessment.bulletin")}</h1>
      <p className="mb-4 text-center text-sm">
        {t("assessment.bulletin.meta", { run: parsed.data.run, from: parsed.data.from, to: parsed.data.to, deadline: a.deadline ?? t("assessment.noDeadline") })}
      </p>
      <h2 className="mb-2 font-semibold">{t(`assessment.bulletin.level.${a.level}` as TMessageKey)}</h2>
      <RankingTable t={t} rows={a.rows} />
      <p className="mt-3 text-xs">{t("assessment.bulletin.weights", { weights: INDICATORS.map((k) => `${t(`assessment.ind.${k}` as TMessageKey)} ${a.weights[k]}`).join("，") })}</p>
      <p className="mt-2 text-xs">{t("assessment.intro")}</p>
      <p className="mt-8 text-right text-sm">{t("assessment.bulletin.issued", { date: today })}</p>
    </div>
  );
}
