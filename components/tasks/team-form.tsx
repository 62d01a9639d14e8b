"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { ActionForm, FieldError } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { type TLocale, translator } from "@/lib/i18n/messages";
import { createTeamAction } from "@/lib/survey/actions";

export interface TeamFormCommunity {
  code: string;
  name: string;
  surveyors: { id: number; realName: string }[];
}

/**
 * 新建调查小组: the community first, then only that community's active surveyors to tick. A
 * community without surveyors says so and who creates their accounts (the server refuses others too).
 */
export function TeamForm({ communities, locale, initialCommunity }: { communities: TeamFormCommunity[]; locale: TLocale; initialCommunity?: string }) {
  const t = useMemo(() => translator(locale), [locale]);
  const [code, setCode] = useState(initialCommunity ?? "");
  const community = communities.find((c) => c.code === code);
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <ActionForm action={createTeamAction} submitLabel={t("tasks.newTeam")} testId="create-team" keepOnSuccess={false} className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
      <Field name="communityCode" label={t("assign.teamCommunity")}>
        <select name="communityCode" className={input} value={code} onChange={(e) => setCode(e.target.value)} data-testid="team-community">
          <option value="">{t("assign.chooseCommunityFirst")}</option>
          {communities.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field name="name" label={t("tasks.teamName")}>
        <input name="name" maxLength={40} className={input} data-testid="team-name" />
      </Field>
      <fieldset className="flex min-w-0 flex-col gap-1 text-sm sm:basis-full" data-testid="team-members">
        <legend className="mb-1 text-slate-700">{t("assign.teamMembers")}</legend>
        {!community ? (
          <span className="text-slate-500">{t("assign.chooseCommunityFirst")}</span>
        ) : community.surveyors.length === 0 ? (
          <span className="rounded bg-amber-50 px-2 py-1 text-amber-900" data-testid="no-surveyors">
            {t("assign.noSurveyorHere", { community: community.name })}{" "}
            <Link href="/accounts" className="text-blue-700 underline">
              {t("assign.goAccounts")}
            </Link>
          </span>
        ) : (
          <span className="flex flex-wrap gap-x-4 gap-y-1">
            {community.surveyors.map((s) => (
              <label key={s.id} className="flex items-center gap-1">
                <input type="checkbox" name="memberIds" value={s.id} className="h-4 w-4" />
                {s.realName}
              </label>
            ))}
          </span>
        )}
        <FieldError name="memberIds" />
      </fieldset>
    </ActionForm>
  );
}
