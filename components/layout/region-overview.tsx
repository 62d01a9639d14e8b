import Link from "next/link";
import { Stat } from "@/components/ui/stat";
import type { SessionUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { childRegions, personCountsByChild, type RegionSummary } from "@/lib/regions/queries";

const STATUSES = ["CONFIRMED_BY_COMPARISON", "NEEDS_SURVEY", "REGISTERED_BY_SURVEY", "EXCLUDED"] as const;

/** A region's counts and its sub-regions, as seen by `user` (all queries scoped by the policy). */
export async function RegionOverview({ user, region }: { user: SessionUser; region: RegionSummary }) {
  const t = await getT();
  const [children, counts] = await Promise.all([childRegions(user, region.code), personCountsByChild(user, region.code)]);
  const totals: Record<string, number> = {};
  for (const entry of counts.values()) for (const [k, v] of Object.entries(entry)) totals[k] = (totals[k] ?? 0) + v;
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold" data-testid="region-name">
          {region.name}
        </h1>
        <span className="rounded bg-blue-50 px-2 py-0.5 text-sm text-blue-800" data-testid="region-level">
          {t(`level.${region.level}` as TMessageKey)}
        </span>
        <span className="text-sm text-slate-500">
          {t("region.code")} {region.code}
        </span>
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
      {children.length > 0 && (
        <section>
          <h2 className="mb-2 text-sm font-medium text-slate-600">{t("region.children")}</h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t("common.name")}</th>
                  <th className="px-3 py-2">{t("region.code")}</th>
                  <th className="px-3 py-2 text-right">{t("region.personCount")}</th>
                  <th className="px-3 py-2 text-right">{t("region.needsSurvey")}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => {
                  const entry = counts.get(c.code) ?? {};
                  const n = Object.values(entry).reduce((a, b) => a + b, 0);
                  return (
                    <tr key={c.code} className="border-t border-slate-100">
                      <td className="px-3 py-2">
                        <Link href={`/regions/${c.code}`} className="text-blue-700 hover:underline">
                          {c.name}
                        </Link>
                      </td>
                      <td className="px-3 py-2 tabular-nums text-slate-500">{c.code}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{n.toLocaleString("zh-CN")}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{(entry.NEEDS_SURVEY ?? 0).toLocaleString("zh-CN")}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
