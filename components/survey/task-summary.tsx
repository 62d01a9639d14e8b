import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { categoryLabel, flagLabel, genderLabel, schemeLabel, taskReasonLabel } from "@/lib/registry/labels";
import type { getTaskDetail } from "@/lib/survey/queries";

const ENROLMENT_STATUS: Record<number, string> = { 1: "参保缴费", 2: "暂停缴费", 3: "终止参保" };

/** The read-only, pre-filled part of the form: registry data, enrolment, why the person is surveyed. */
export async function TaskSummary({ detail }: { detail: Awaited<ReturnType<typeof getTaskDetail>> }) {
  const t = await getT();
  const { task, person, region, enrolment } = detail;
  const scheme = (code: string) => schemeLabel(t, code);
  const newPerson = (task.form?.data as { newPerson?: { name: string; hukouAddress: string | null } } | null)?.newPerson;
  const rows: [TMessageKey, string][] = [
    ["survey.name", person?.name ?? newPerson?.name ?? ""],
    ["survey.idNumber", task.idNumber],
    ["survey.gender", genderLabel(t, person?.gender ?? null)],
    ["survey.birthDate", person?.birthDate ? person.birthDate.toISOString().slice(0, 10) : ""],
    ["survey.ethnicity", person?.ethnicity ?? ""],
    ["survey.hukouAddress", person?.hukouAddress ?? newPerson?.hukouAddress ?? ""],
    ["survey.hukouRegion", region ? `${region.name}（${region.code}）` : task.regionCode],
    ["survey.category", categoryLabel(t, task.category)],
    ["survey.flags", task.flags.map((f) => flagLabel(t, f)).join("、")],
    ["survey.missing", task.missingSchemes.map(scheme).join("、")],
  ];
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 font-medium">{t("survey.prefilled")}</h2>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm" data-testid="prefilled">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-500">{t(k)}</dt>
            <dd className="break-all">{v || "—"}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-sm text-amber-800">
        {t("tasks.reason")}：{taskReasonLabel(t, task.reason, task.category)}
      </p>
      {enrolment.length > 0 && (
        <div className="mt-3">
          <h3 className="text-sm font-medium text-slate-600">{t("survey.enrolment")}</h3>
          <ul className="mt-1 space-y-0.5 text-sm">
            {enrolment.map((e, i) => (
              <li key={i}>
                {scheme(e.scheme)} · {ENROLMENT_STATUS[e.status] ?? e.status} · {e.region_name ?? e.region_code ?? "本市"}
                {e.employer ? ` · ${e.employer}` : ""}
                {e.start_date ? ` · ${e.start_date.toISOString().slice(0, 10)}` : ""}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
