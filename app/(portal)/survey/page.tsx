import { forbidden } from "next/navigation";
import { TaskList } from "@/components/survey/task-list";
import { ActionForm } from "@/components/ui/action-form";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { addNewPersonAction } from "@/lib/survey/actions";
import { listTasks, myTeams } from "@/lib/survey/queries";

const input = "w-full rounded border border-slate-300 px-3 py-2";

export default async function SurveyListPage() {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "survey:fill")) forbidden();
  const [tasks, teams] = await Promise.all([listTasks(user, { permission: "survey:fill", states: ["ASSIGNED", "DRAFT", "RETURNED", "SUBMITTED", "STREET_APPROVED"] }), myTeams(user)]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("survey.title")}</h1>
      <TaskList tasks={tasks} hrefBase="/survey" />
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">{t("survey.addNew")}</h2>
        {teams.length === 0 ? (
          <p className="text-sm text-slate-500">{t("survey.err.noTeam")}</p>
        ) : (
          <ActionForm action={addNewPersonAction} submitLabel={t("survey.addNew")} className="grid gap-3 sm:grid-cols-2" testId="add-new-person">
            <label className="block">
              <span className="text-sm">{t("survey.idNumber")}</span>
              <input name="idNumber" required className={input} inputMode="text" maxLength={18} />
            </label>
            <label className="block">
              <span className="text-sm">{t("survey.name")}</span>
              <input name="name" required className={input} />
            </label>
            <label className="block">
              <span className="text-sm">{t("survey.hukouAddress")}</span>
              <input name="hukouAddress" className={input} />
            </label>
            <label className="block">
              <span className="text-sm">{t("survey.team")}</span>
              <select name="teamId" className={input}>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </label>
          </ActionForm>
        )}
      </section>
    </div>
  );
}
