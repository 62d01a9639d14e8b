import Link from "next/link";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { recordCheckAction } from "@/lib/quality/actions";
import { CHECK_FIELDS, getSpotCheck } from "@/lib/quality/spot-checks";
import { guarded, NotFoundError, roleHas } from "@/lib/policy";

// One spot check: its parameters and seed, whether the seed reproduces the sample, and per sampled
// record the re-verification (recorded by the district, field by field).
export const dynamic = "force-dynamic";

export default async function SpotCheckPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const t = await getT();
  const id = Number((await params).id);
  const result = await guarded(Number.isInteger(id) ? getSpotCheck(user, id) : Promise.reject(new NotFoundError("spot check")));
  if (!result.ok) refusePage(result.refusal);
  const c = result.value;
  const canRecord = roleHas(user.role, "quality:spot-check");
  return (
    <div className="space-y-6">
      <Link href="/quality" className="text-sm text-blue-700 hover:underline">{t("quality.title")}</Link>
      <h1 className="text-2xl font-semibold">{t("quality.detail", { id: c.id })}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t("quality.col.district")}</dt>
        <dd className="tabular-nums">{c.districtCode}</dd>
        <dt className="text-slate-600">{t("quality.col.period")}</dt>
        <dd className="tabular-nums">{c.from} – {c.to}</dd>
        <dt className="text-slate-600">{t("quality.method")}</dt>
        <dd>{t(`quality.method.${c.method}` as TMessageKey)}：{c.requested}</dd>
        <dt className="text-slate-600">{t("quality.col.population")} / {t("quality.col.size")}</dt>
        <dd className="tabular-nums">{c.population} / {c.size}</dd>
        <dt className="text-slate-600">{t("quality.col.seed")}</dt>
        <dd className="font-mono" data-testid="spot-check-seed">{c.seed}</dd>
      </dl>
      <p className={c.reproducible ? "text-sm text-green-700" : "text-sm text-red-700"} data-testid="reproducible">
        {c.reproducible ? t("quality.reproducible") : t("quality.notReproducible")}
      </p>
      <ol className="space-y-3" data-testid="spot-check-items">
        {c.items.map((i) => (
          <li key={i.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap gap-4">
              <span>{t("quality.col.position")} {i.position}</span>
              <span className="tabular-nums">{i.maskedId}</span>
              <span className="tabular-nums">{i.regionCode}</span>
              <span>{t("quality.col.task")} {i.taskId}</span>
              <span className="font-medium">
                {i.result === null ? t("quality.result.open") : i.result === "PASS" ? t("quality.result.PASS") : t("quality.result.FAIL", { task: i.reopenedTaskId ?? "" })}
              </span>
            </div>
            {i.result !== null && i.findings && (
              <p className="mt-1 text-slate-600">
                {CHECK_FIELDS.map((f) => `${t(`quality.field.${f}` as TMessageKey)}：${i.findings![f] ? t("quality.confirmed") : t("quality.inconsistent")}`).join("；")}
                {i.comment ? `。${i.comment}` : ""}
              </p>
            )}
            {i.result === null && canRecord && (
              <ActionForm action={recordCheckAction} submitLabel={t("quality.record")} className="mt-2 flex flex-wrap items-end gap-3" testId={`record-${i.position}`}>
                <input type="hidden" name="itemId" value={i.id} />
                {CHECK_FIELDS.map((f) => (
                  <fieldset key={f} className="flex flex-col">
                    <legend className="text-slate-600">{t(`quality.field.${f}` as TMessageKey)}</legend>
                    <label className="mr-2"><input type="radio" name={f} value="yes" defaultChecked /> {t("quality.confirmed")}</label>
                    <label><input type="radio" name={f} value="no" /> {t("quality.inconsistent")}</label>
                  </fieldset>
                ))}
                <label className="flex min-w-64 flex-col">
                  <span className="text-slate-600">{t("quality.comment")}</span>
                  <input name="comment" maxLength={500} className="rounded border border-slate-300 px-2 py-1.5" />
                </label>
              </ActionForm>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
