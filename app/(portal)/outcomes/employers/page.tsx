import Link from "next/link";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { listEmployers } from "@/lib/outcomes/employers-view";
import { guarded, ROLE_LEVEL } from "@/lib/policy";
import { ExportForm } from "./export-form";

// 劳动保障监察: the employers of the latest finished run, in the actor's scope (lib/outcomes/employers-view).
export const dynamic = "force-dynamic";

const SCHEMES = ["110", "310", "210", "410", "510"] as const;

export default async function EmployersPage({ searchParams }: { searchParams: Promise<{ exportError?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  const result = await guarded(listEmployers(user));
  if (!result.ok) refusePage(result.refusal);
  const { run, rows } = result.value;
  const exportError = (await searchParams).exportError;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("employers.title")}</h1>
      {!run ? (
        <p className="text-slate-600">{t("employers.noRun")}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            {t("employers.intro", { run: run.id, asOf: run.asOf })}
            <br />
            {ROLE_LEVEL[user.role] === "CITY" ? t("employers.scope.city") : t("employers.scope.region", { region: user.regionName ?? user.regionCode ?? "" })}
          </p>
          <ExportForm t={t} error={exportError?.startsWith("employers.export.") ? t(exportError as TMessageKey) : null} />
          <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="employers">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t("employers.col.employer")}</th>
                  <th className="px-3 py-2 text-right">{t("employers.col.persons")}</th>
                  {SCHEMES.map((s) => (
                    <th key={s} className="px-3 py-2 text-right" title={t(`registry.scheme.${s}` as TMessageKey)}>
                      {t("employers.col.missing", { scheme: t(`registry.scheme.${s}` as TMessageKey) })}
                    </th>
                  ))}
                  <th className="px-3 py-2 text-right">{t("employers.col.fromSurvey")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={8} className="px-3 py-4 text-slate-500">{t("employers.none")}</td>
                  </tr>
                )}
                {rows.map((r) => (
                  <tr key={r.employer} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <Link href={`/outcomes/employers/persons?employer=${encodeURIComponent(r.employer)}`} className="text-blue-700 hover:underline">
                        {r.employer}
                      </Link>
                    </td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.persons}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.missing_110}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.missing_310}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.missing_210}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.missing_410}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.missing_510}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{r.persons_from_survey}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
