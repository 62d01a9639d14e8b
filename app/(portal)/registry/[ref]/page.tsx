import Link from "next/link";
import { ChangeList } from "@/components/changes/change-list";
import { ChangeRequestForm, type ChangeFieldSpec } from "@/components/changes/change-request-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { requestChangeAction } from "@/lib/changes/actions";
import { CHANGE_FIELDS, GENDERS, HUKOU_TYPES, isSensitive, type TChanges } from "@/lib/changes/schema";
import { deciderPermission } from "@/lib/changes/workflow";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { can, guarded, NotFoundError } from "@/lib/policy";
import { categoryLabel, fieldLabel, flagLabel, genderLabel, hukouTypeLabel, schemeLabel, surveyDataEntries, taskReasonLabel, valueLabel } from "@/lib/registry/labels";
import { getPersonPage } from "@/lib/registry/queries";

export const dynamic = "force-dynamic";

const CLOSED_TASK_STATES = ["DISTRICT_APPROVED", "SETTLED", "UNREACHABLE"];

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid={testId}>
      <h2 className="mb-3 font-medium">{title}</h2>
      {children}
    </section>
  );
}

function Field({ label, value, testId, mono }: { label: string; value: React.ReactNode; testId?: string; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`break-words text-sm ${mono ? "font-mono" : ""}`} data-testid={testId}>
        {value || "—"}
      </dd>
    </div>
  );
}

// 人员信息: one person of the registry, opened by a user in scope (the view is audited).
export default async function PersonPage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  const user = await requireUser();
  const t = await getT();
  // The URL holds the person's opaque key (lib/ids/person-ref.ts), never the ID number.
  const idNumber = idNumberOfRef(ref);
  const loaded = await guarded(idNumber ? getPersonPage(user, idNumber) : Promise.reject(new NotFoundError("person")), { page: "person" });
  if (!loaded.ok) refusePage(loaded.refusal);
  const { person, regionCode, regionName, regionNames, hukouRegion, residenceRegion, history, tasks, changes } = loaded.value;
  const nameOf = (code: string) => regionNames[code];
  const birthDate = person.birthDate ? person.birthDate.toISOString().slice(0, 10) : null;
  const surveyData = surveyDataEntries(t, person.surveyData as Record<string, unknown> | null, nameOf);
  const canRequest = can(user, "change:request", regionCode);
  const current: Record<string, string> = {
    name: person.name,
    gender: genderLabel(t, person.gender),
    ethnicity: person.ethnicity ?? "",
    hukouAddress: person.hukouAddress ?? "",
    residenceAddress: person.residenceAddress ?? "",
    idNumber: person.idNumber,
    birthDate: birthDate ?? "",
    hukouType: hukouTypeLabel(t, person.hukouType),
  };
  const changeFields: ChangeFieldSpec[] = CHANGE_FIELDS.map((f) => ({
    name: f,
    label: t(`change.field.${f}`),
    current: current[f],
    kind: f === "gender" || f === "hukouType" ? "select" : f === "birthDate" ? "date" : "text",
    options: f === "gender" ? GENDERS.map((g) => ({ value: g, label: genderLabel(t, g) })) : f === "hukouType" ? HUKOU_TYPES.map((h) => ({ value: h, label: hukouTypeLabel(t, h) })) : undefined,
    sensitive: isSensitive(f),
  }));
  const openTasks = tasks.filter((task) => !CLOSED_TASK_STATES.includes(task.state));
  const th = "px-3 py-2 font-normal";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold" data-testid="person-name">
          {person.name}
        </h1>
        <span className="rounded bg-blue-50 px-2 py-0.5 text-sm text-blue-800" data-testid="person-status">
          {t(`status.${person.status}`)}
        </span>
        <Link href="/registry" className="text-sm text-blue-700 hover:underline">
          {t("registry.title")}
        </Link>
      </div>
      <p className="text-xs text-amber-800">{t("registry.viewAudited")}</p>

      <Section title={t("registry.basic")}>
        <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <Field label={t("registry.idNumber")} value={person.idNumber} mono testId="person-id" />
          <Field label={t("survey.gender")} value={genderLabel(t, person.gender)} testId="person-gender" />
          <Field label={t("survey.birthDate")} value={birthDate} testId="person-birth-date" />
          <Field label={t("survey.ethnicity")} value={person.ethnicity} />
          <Field label={t("change.field.hukouType")} value={hukouTypeLabel(t, person.hukouType)} testId="person-hukou-type" />
          <Field label={t("survey.hukouRegion")} value={hukouRegion} />
          <Field label={t("survey.hukouAddress")} value={person.hukouAddress} />
          <Field label={t("registry.residence")} value={[residenceRegion, person.residenceAddress].filter(Boolean).join(" ")} />
          <Field label={t("registry.phone")} value={person.phone} mono testId="person-phone" />
          <Field label={t("registry.region")} value={regionName ?? regionCode} />
          <Field label={t("registry.registeredAt")} value={person.registeredAt?.toLocaleString("zh-CN")} />
        </dl>
      </Section>

      <Section title={t("registry.comparison")}>
        <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Field label={t("survey.category")} value={categoryLabel(t, person.category)} testId="person-category" />
          <Field label={t("survey.flags")} value={person.flags.map((f) => flagLabel(t, f)).join("、")} />
          <Field label={t("survey.missing")} value={person.missingSchemes.map((s) => schemeLabel(t, s)).join("、")} />
        </dl>
      </Section>

      <Section title={t("registry.surveyData")} testId="survey-data">
        {surveyData.length === 0 ? (
          <p className="text-sm text-slate-500">{t("registry.noSurveyData")}</p>
        ) : (
          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {surveyData.map((e) => (
              <Field key={e.key} label={e.label} value={e.value} />
            ))}
          </dl>
        )}
      </Section>

      <Section title={t("registry.print")} testId="print-links">
        <ul className="flex flex-wrap gap-3 text-sm">
          <li>
            <Link href={`/print/person/${ref}`} target="_blank" className="text-blue-700 underline" data-testid="print-person">
              {t("registry.printForm")}
            </Link>
          </li>
          {openTasks.map((task) => (
            <li key={task.id}>
              <Link href={`/print/task/${task.id}`} target="_blank" className="text-blue-700 underline">
                {t("registry.printTask", { id: task.id })}
              </Link>
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t("change.title")} testId="changes">
        <div className="space-y-4">
          <ChangeList
            t={t}
            rows={changes.map((c) => {
              const permission = deciderPermission(c.state, c.sensitive);
              // Four eyes: one's own request is marked and not decidable by oneself.
              const ownRequest = c.requestedById === user.id;
              return { ...c, changes: c.changes as TChanges, ownRequest, decidable: permission !== null && can(user, permission, c.regionCode) && !ownRequest };
            })}
          />
          {canRequest && (
            <div className="rounded border border-slate-200 p-3">
              <h3 className="text-sm font-medium text-blue-800">{t("change.request")}</h3>
              <div className="mt-3">
                <ChangeRequestForm
                  action={requestChangeAction}
                  personId={person.idNumber}
                  fields={changeFields}
                  labels={{ current: t("change.current"), proposed: t("change.proposed"), evidence: t("change.evidence"), submit: t("change.request"), sensitive: t("change.sensitive"), hint: t("change.hint") }}
                />
              </div>
            </div>
          )}
        </div>
      </Section>

      <Section title={t("registry.tasks")} testId="person-tasks">
        {tasks.length === 0 ? (
          <p className="text-sm text-slate-500">{t("registry.noTasks")}</p>
        ) : (
          <ul className="space-y-3">
            {tasks.map((task) => (
              <li key={task.id} className="rounded border border-slate-100 p-3">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-mono text-slate-500">#{task.id}</span>
                  <span className="rounded bg-blue-50 px-2 py-0.5 text-blue-800">{t(`task.state.${task.state}` as TMessageKey)}</span>
                  <span>{taskReasonLabel(t, task.reason, task.category)}</span>
                  {task.team && <span className="text-slate-500">{task.team.name}</span>}
                </div>
                {task.events.length > 0 && (
                  <ol className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3 text-xs text-slate-600">
                    {task.events.map((e) => (
                      <li key={e.id}>
                        {e.at.toLocaleString("zh-CN")} · {e.actor ?? "—"} · {t(`task.state.${e.fromState}` as TMessageKey)} → {t(`task.state.${e.toState}` as TMessageKey)}
                        {e.comment ? ` · ${e.comment}` : ""}
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t("registry.history")}>
        {history.length === 0 ? (
          <p className="text-sm text-slate-500">{t("registry.noHistory")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="history-table">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className={th}>{t("registry.at")}</th>
                  <th className={th}>{t("registry.field")}</th>
                  <th className={th}>{t("registry.old")}</th>
                  <th className={th}>{t("registry.new")}</th>
                  <th className={th}>{t("registry.by")}</th>
                  <th className={th}>{t("registry.why")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id} className="border-t border-slate-100 align-top">
                    <td className="whitespace-nowrap px-3 py-2 text-slate-500">{h.changedAt.toLocaleString("zh-CN")}</td>
                    <td className="px-3 py-2">{fieldLabel(t, h.field)}</td>
                    <td className="break-all px-3 py-2 text-slate-500">{valueLabel(t, h.field, h.oldValue, nameOf)}</td>
                    <td className="break-all px-3 py-2">{valueLabel(t, h.field, h.newValue, nameOf)}</td>
                    <td className="px-3 py-2">{h.changedBy ?? "—"}</td>
                    <td className="px-3 py-2 text-slate-600">{h.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
