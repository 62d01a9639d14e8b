import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { genderLabel, valueLabel } from "@/lib/registry/labels";
import { printCommunitySummary } from "@/lib/survey/print";

// 全民参保登记个人信息汇总表 (seed 001 第十九条): the community's ledger of persons to register.
export default async function PrintSummaryPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await requireUser();
  const t = await getT();
  const sheet = await guarded(printCommunitySummary(user, code));
  if (!sheet.ok) refusePage(sheet.refusal);
  const { communityName, rows } = sheet.value;
  const th = "border border-black px-1 py-1 font-medium";
  const td = "border border-black px-1 py-0.5 align-top";
  return (
    <article className="sheet sheet-landscape" data-testid="print-summary">
      <h1 className="text-center text-lg font-bold">{t("print.summary")}</h1>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
        <span>{t("print.communityHeading", { name: communityName, code })}</span>
        <span>
          {t("print.total", { n: rows.length })} · {t("print.printedAt")} {new Date().toISOString().slice(0, 10)}
        </span>
      </p>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full border-collapse text-[10px] leading-snug">
          <thead>
            <tr>
              <th className={th}>{t("print.col.no")}</th>
              <th className={th}>{t("survey.name")}</th>
              <th className={th}>{t("survey.gender")}</th>
              <th className={th}>{t("survey.idNumber")}</th>
              <th className={th}>{t("survey.hukouAddress")}</th>
              <th className={th}>{t("registry.phone")}</th>
              <th className={th}>{t("survey.employment")}</th>
              <th className={th}>{t("survey.pension")}</th>
              <th className={th}>{t("survey.medical")}</th>
              <th className={th}>{t("survey.reasons")}</th>
              <th className={th}>{t("print.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.taskId} className="break-inside-avoid" data-testid="summary-row">
                <td className={`${td} text-center tabular-nums`}>{r.no}</td>
                <td className={td}>{r.name}</td>
                <td className={`${td} text-center`}>{genderLabel(t, r.gender)}</td>
                <td className={`${td} font-mono`}>{r.idNumber}</td>
                <td className={td}>{r.hukouAddress}</td>
                <td className={`${td} font-mono`}>{r.phone}</td>
                <td className={td}>{valueLabel(t, "employment", r.employment)}</td>
                <td className={td}>{valueLabel(t, "pension", r.pension)}</td>
                <td className={td}>{valueLabel(t, "medical", r.medical)}</td>
                <td className={td}>{valueLabel(t, "reasons", r.reasons.length ? JSON.stringify(r.reasons) : null)}</td>
                <td className={td}>{r.state ? t(`task.state.${r.state}` as TMessageKey) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
