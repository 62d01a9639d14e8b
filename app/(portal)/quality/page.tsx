import Link from "next/link";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { drawSpotCheckAction } from "@/lib/quality/actions";
import { listSpotChecks, passRates } from "@/lib/quality/spot-checks";
import { RateTable } from "@/components/quality/rate-table";
import { guarded, roleHas, ROLE_LEVEL } from "@/lib/policy";

// 质量抽查: the spot checks in scope (the city sees every district's), the draw form for a district,
// and pass rates per district (city) or street (district).
export const dynamic = "force-dynamic";

export default async function QualityPage() {
  const user = await requireUser();
  const t = await getT();
  const result = await guarded(Promise.all([listSpotChecks(user), passRates(user, ROLE_LEVEL[user.role] === "CITY" ? "DISTRICT" : "STREET")]));
  if (!result.ok) refusePage(result.refusal);
  const [checks, rates] = result.value;
  const input = "rounded border border-slate-300 px-2 py-1.5";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("quality.title")}</h1>
      <p className="text-sm text-slate-600">{t("quality.intro")}</p>
      {roleHas(user.role, "quality:spot-check") && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-3 font-medium">{t("quality.draw")}</h2>
          <ActionForm action={drawSpotCheckAction} submitLabel={t("quality.draw")} testId="spot-check-draw">
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("quality.from")}</span>
              <input type="date" name="from" required className={input} />
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("quality.to")}</span>
              <input type="date" name="to" required className={input} />
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("quality.method")}</span>
              <select name="method" defaultValue="PERCENT" className={input}>
                <option value="PERCENT">{t("quality.method.PERCENT")}</option>
                <option value="SIZE">{t("quality.method.SIZE")}</option>
              </select>
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("quality.amount")}</span>
              <input type="number" name="amount" min={1} required defaultValue={5} className={`${input} w-28`} />
            </label>
            <label className="flex flex-col text-sm">
              <span className="text-slate-600">{t("quality.seed")}</span>
              <input name="seed" maxLength={64} className={input} />
            </label>
          </ActionForm>
        </section>
      )}
      <RateTable t={t} title={ROLE_LEVEL[user.role] === "CITY" ? t("quality.rates.district") : t("quality.rates.street")} rows={rates} testId="pass-rates" />
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <h2 className="px-3 pt-3 font-medium">{t("quality.list")}</h2>
        <table className="w-full text-sm" data-testid="spot-checks">
          <thead className="text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("quality.col.id")}</th>
              <th className="px-3 py-2">{t("quality.col.district")}</th>
              <th className="px-3 py-2">{t("quality.col.period")}</th>
              <th className="px-3 py-2 text-right">{t("quality.col.population")}</th>
              <th className="px-3 py-2 text-right">{t("quality.col.size")}</th>
              <th className="px-3 py-2 text-right">{t("quality.col.passed")}</th>
              <th className="px-3 py-2 text-right">{t("quality.col.failed")}</th>
              <th className="px-3 py-2 text-right">{t("quality.col.open")}</th>
              <th className="px-3 py-2">{t("quality.col.seed")}</th>
            </tr>
          </thead>
          <tbody>
            {checks.length === 0 && (
              <tr>
                <td colSpan={9} className="px-3 py-3 text-slate-500">{t("quality.none")}</td>
              </tr>
            )}
            {checks.map((c) => (
              <tr key={c.id} className="border-t border-slate-100">
                <td className="px-3 py-1.5">
                  <Link href={`/quality/${c.id}`} className="text-blue-700 hover:underline">{c.id}</Link>
                </td>
                <td className="px-3 py-1.5 tabular-nums">{c.districtCode}</td>
                <td className="px-3 py-1.5 tabular-nums">{c.from} – {c.to}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{c.population}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{c.size}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{c.passed}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{c.failed}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{c.open}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{c.seed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
