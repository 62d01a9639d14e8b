"use client";

import { useMemo, useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/auth/action";
import { type TLocale, translator } from "@/lib/i18n/messages";
import { birthDateOf, genderOf, validateIdNumber } from "@/lib/ids/id-number";

// 新发现人员: the ID number, name, hukou address and team. Gender and birth date are filled from a
// valid ID number as it is typed (GB 11643: birth date in digits 7–14, gender from the 17th); the
// server derives them from the same ID when the person reaches the registry.

const input = "w-full rounded border border-slate-300 px-3 py-2 text-base";

export function NewPersonForm({ action, teams, locale }: { action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>; teams: { id: number; name: string }[]; locale: TLocale }) {
  const t = useMemo(() => translator(locale), [locale]);
  const [idNumber, setIdNumber] = useState("");
  const check = validateIdNumber(idNumber);
  const id = check.ok ? check.id : null;
  return (
    <ActionForm action={action} submitLabel={t("survey.addNew")} className="grid gap-3 sm:grid-cols-2" testId="add-new-person">
      <Field name="idNumber" label={t("survey.idNumber")}>
        <input name="idNumber" className={input} inputMode="text" maxLength={18} autoComplete="off" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} />
      </Field>
      <Field name="name" label={t("survey.name")}>
        <input name="name" className={input} maxLength={40} />
      </Field>
      <label className="flex min-w-0 flex-col gap-1 text-sm">
        <span className="text-slate-700">{t("survey.gender")}</span>
        <input readOnly tabIndex={-1} className={`${input} bg-slate-50`} value={id ? t(`person.gender.${genderOf(id)}`) : ""} data-testid="new-person-gender" aria-readonly="true" />
      </label>
      <label className="flex min-w-0 flex-col gap-1 text-sm">
        <span className="text-slate-700">{t("survey.birthDate")}</span>
        <input readOnly tabIndex={-1} className={`${input} bg-slate-50`} value={id ? birthDateOf(id) : ""} data-testid="new-person-birth" aria-readonly="true" />
      </label>
      <Field name="hukouAddress" label={t("survey.hukouAddress")}>
        <input name="hukouAddress" className={input} maxLength={200} />
      </Field>
      <Field name="teamId" label={t("survey.team")}>
        <select name="teamId" className={input}>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </Field>
    </ActionForm>
  );
}
