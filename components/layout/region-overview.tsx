import { ProgressTable } from "@/components/layout/progress-table";
import { RegionCrumbs } from "@/components/layout/region-crumbs";
import { Stat } from "@/components/ui/stat";
import type { SessionUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { can } from "@/lib/policy";
import { regionCrumbs, regionProgress } from "@/lib/regions/progress";
import { personCountsByChild, type RegionSummary } from "@/lib/regions/queries";

const STATUSES = ["CONFIRMED_BY_COMPARISON", "NEEDS_SURVEY", "REGISTERED_BY_SURVEY", "EXCLUDED"] as const;

/**
 * A region's page (the home page and /regions/<code>), as seen by `user` (all queries scoped by the
 * policy): breadcrumbs naming the region, its persons by registration status, and the survey progress
 * of its sub-regions (or of itself, for a community) with a totals row.
 */
export async function RegionOverview({ user, region }: { user: SessionUser; region: RegionSummary }) {
  const t = await getT();
  const showProgress = can(user, "task:view", region.code);
  const [counts, crumbs, progress] = await Promise.all([
    personCountsByChild(user, region.code),
    regionCrumbs(user, region.code),
    showProgress ? regionProgress(user, region.code) : Promise.resolve(null),
  ]);
  const totals: Record<string, number> = {};
  for (const entry of counts.values()) for (const [k, v] of Object.entries(entry)) totals[k] = (totals[k] ?? 0) + v;
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <RegionCrumbs t={t} crumbs={crumbs} />
        <div className="flex flex-wrap items-baseline gap-3">
          <h1 className="text-2xl font-semibold" data-testid="region-name">
            {region.name}
          </h1>
          <span className="rounded bg-blue-50 px-2 py-0.5 text-sm text-blue-800" data-testid="region-level">
            {t(`level.${region.level}` as TMessageKey)}
          </span>
        </div>
      </div>
      <section>
        <h2 className="mb-2 text-sm font-medium text-slate-600">{t("home.byStatus")}</h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat label={t("home.persons")} value={total} testId="person-total" />
          {STATUSES.map((s) => (
            <Stat key={s} label={t(`status.${s}`)} value={totals[s] ?? 0} />
          ))}
        </div>
      </section>
      {progress && (
        <section className="space-y-2" data-testid="progress">
          <h2 className="text-lg font-medium">{region.name} · {t("progress.title")}</h2>
          {progress.totals.total === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 p-4 text-center text-sm text-slate-500">{t("progress.none")}</p>
          ) : (
            <>
              <ProgressTable t={t} rows={progress.rows.length ? progress.rows : []} totals={progress.totals} childLinks={progress.rows.length > 0} />
              <p className="text-xs text-slate-500">{t("progress.hint")}</p>
            </>
          )}
        </section>
      )}
    </div>
  );
}
