import type { Tx } from "@/lib/db/client";
import { birthDateOf, genderOf } from "@/lib/ids/id-number";
import type { Actor } from "@/lib/policy";
import type { TSurveyForm } from "@/lib/survey/schema";

// Writes into the registry (全民参保登记库). Every changed value leaves a history row with what,
// old, new, who, when and why, in the same transaction as the change.

export interface RegistryChange {
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

function str(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}

export async function writeHistory(tx: Tx, actor: Actor, idNumber: string, changes: RegistryChange[], why: { reason: string; taskId?: number; changeRequestId?: number }): Promise<void> {
  if (changes.length === 0) return;
  await tx.personHistory.createMany({
    data: changes.map((c) => ({ idNumber, field: c.field, oldValue: c.oldValue, newValue: c.newValue, reason: why.reason, taskId: why.taskId ?? null, changeRequestId: why.changeRequestId ?? null, changedById: actor.id })),
  });
}

/**
 * 入库: the district's final approval stores the survey in the registry — phone, residence and the
 * collected data — marks the person registered by survey (clearing "needs survey"), and records
 * the history. A newly found person is created from the form's basic data.
 */
export async function storeSurveyInRegistry(tx: Tx, actor: Actor, task: { id: number; idNumber: string; regionCode: string }, form: TSurveyForm & { newPerson?: { idNumber: string; name: string; hukouAddress: string | null } }): Promise<void> {
  let person = await tx.person.findUnique({ where: { idNumber: task.idNumber } });
  const changes: RegistryChange[] = [];
  if (!person) {
    const basic = form.newPerson;
    person = await tx.person.create({
      data: {
        idNumber: task.idNumber,
        name: basic?.name ?? task.idNumber,
        gender: genderOf(task.idNumber),
        birthDate: new Date(`${birthDateOf(task.idNumber)}T00:00:00Z`),
        hukouRegionCode: task.regionCode,
        hukouAddress: basic?.hukouAddress ?? null,
        surveyRegionCode: task.regionCode,
        status: "NEEDS_SURVEY",
      },
    });
    changes.push({ field: "created", oldValue: null, newValue: "新发现人员" });
  }
  const { newPerson: _newPerson, ...surveyData } = form;
  void _newPerson;
  const next = {
    // a form without a mobile number (无手机, 已死亡, …: noMobileReason) leaves the registry's phone as it was
    phone: form.mobile ?? person.phone,
    residenceRegionCode: form.residenceRegionCode ?? person.residenceRegionCode,
    residenceAddress: form.residenceAddress ?? person.residenceAddress,
  };
  for (const [field, value] of Object.entries(next)) {
    const old = (person as Record<string, unknown>)[field];
    if (str(old) !== str(value)) changes.push({ field, oldValue: str(old), newValue: str(value) });
  }
  const oldData = (person.surveyData ?? {}) as Record<string, unknown>;
  for (const key of ["employment", "unitName", "occupation", "noMobileReason", "pension", "medical", "unemployment", "workInjury", "maternity", "reasons", "elsewhere", "elsewherePlace"] as const) {
    const before = str(oldData[key]);
    const after = str((surveyData as Record<string, unknown>)[key]);
    if (before !== after) changes.push({ field: `survey.${key}`, oldValue: before, newValue: after });
  }
  if (person.status !== "REGISTERED_BY_SURVEY") changes.push({ field: "status", oldValue: person.status, newValue: "REGISTERED_BY_SURVEY" });
  await tx.person.update({
    where: { idNumber: task.idNumber },
    data: { ...next, surveyData: surveyData as never, status: "REGISTERED_BY_SURVEY", registeredAt: new Date(), version: { increment: 1 } },
  });
  await writeHistory(tx, actor, task.idNumber, changes, { reason: "入户调查审定入库", taskId: task.id });
}
