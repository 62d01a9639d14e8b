import Link from "next/link";
import { forbidden } from "next/navigation";
import { NewPersonForm } from "@/components/survey/new-person-form";
import { TaskList } from "@/components/survey/task-list";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { can, roleHas } from "@/lib/policy";
import { addNewPersonAction } from "@/lib/survey/actions";
import { cleanSurveyFilter, myTeams, SURVEY_PAGE_SIZE, SURVEY_TABS, surveyList, type TSurveyTab } from "@/lib/survey/queries";

// 入户登记: the tasks the user fills, in tabs — 待调查 (assigned, drafts), 已退回, 已提交 — searched by
// a part of the name or of the ID number, paged in SQL, exported to XLSX (with export:run).

export default async function SurveyListPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  if (!roleHas(user.role, "survey:fill")) forbidden();
  const params = await searchParams;
  const filter = cleanSurveyFilter(params);
  const [list, teams] = await Promise.all([surveyList(user, filter, filter.page), myTeams(user)]);
  const submitted = typeof params.submitted === "string" && /^\d+$/.test(params.submitted);
  const href = (over: { tab?: TSurveyTab; page?: number }) => {
    const qs = new URLSearchParams();
    qs.set("tab", over.tab ?? filter.tab);
    if (filter.q) qs.set("q", filter.q);
    if ((over.page ?? 1) > 1) qs.set("page", String(over.page));
    return `/survey?${qs.toString()}`;
  };
  const exportHref = `/survey/export?${new URLSearchParams({ tab: filter.tab, ...(filter.q ? { q: filter.q } : {}), format: "xlsx" }).toString()}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("survey.title")}</h1>
      {submitted && (
        <p role="status" className="rounded border border-green-200 bg-green-50 p-3 text-sm text-green-800" data-testid="submitted-banner">
          {t("survey.submitted")}
        </p>
      )}
      <nav className="flex flex-wrap gap-1 border-b border-slate-200" aria-label={t("survey.title")} data-testid="survey-tabs">
        {(Object.keys(SURVEY_TABS) as TSurveyTab[]).map((tab) => (
          <Link
            key={tab}
            href={href({ tab })}
            aria-current={tab === filter.tab ? "page" : undefined}
            data-testid={`tab-${tab}`}
            className={`-mb-px rounded-t border px-3 py-2 text-sm ${tab === filter.tab ? "border-slate-200 border-b-white bg-white font-medium text-blue-800" : "border-transparent text-slate-600 hover:text-blue-700"}`}
          >
            {t(`survey.tab.${tab}`)}
            <span className="ml-1 rounded bg-slate-100 px-1.5 text-xs text-slate-600">{list.counts[tab]}</span>
          </Link>
        ))}
      </nav>
      <form method="get" action="/survey" className="flex flex-wrap items-center gap-2" role="search" data-testid="survey-search">
        <input type="hidden" name="tab" value={filter.tab} />
        <input name="q" defaultValue={filter.q ?? ""} placeholder={t("survey.searchPlaceholder")} aria-label={t("survey.searchPlaceholder")} className="min-w-0 flex-1 rounded border border-slate-300 px-3 py-2 sm:max-w-sm" />
        <button type="submit" className="rounded bg-blue-700 px-3 py-2 text-sm text-white">
          {t("survey.search")}
        </button>
        {can(user, "export:run") && (
          <a href={exportHref} className="rounded border border-slate-300 bg-white px-3 py-2 text-sm text-blue-800" data-testid="survey-export">
            {t("survey.export")}
          </a>
        )}
      </form>
      {list.items.length === 0 && filter.q ? <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-500">{t("survey.noMatch")}</p> : <TaskList tasks={list.items} hrefBase="/survey" />}
      <Pager page={list.page} pageSize={SURVEY_PAGE_SIZE} total={list.total} href={(page) => href({ page })} t={t} />
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">{t("survey.addNew")}</h2>
        {teams.length === 0 ? <p className="text-sm text-slate-500">{t("survey.err.noTeam")}</p> : <NewPersonForm action={addNewPersonAction} teams={teams.map((team) => ({ id: team.id, name: team.name }))} locale={locale} />}
      </section>
    </div>
  );
}
