import Link from "next/link";
import { RegionCrumbs } from "@/components/layout/region-crumbs";
import { refusePage } from "@/lib/http/refuse";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import { parsePage, safeDecode } from "@/lib/http/params";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { PROGRESS_COLUMNS, REGION_TASK_PAGE_SIZE, regionCrumbs, regionTasks, ZRegionTaskFilter } from "@/lib/regions/progress";
import { taskReasonLabel } from "@/lib/registry/labels";

// The tasks behind a count of the progress table (read-only, any level): /regions/<code>/tasks with
// ?state=<progress column> (UNRELEASED, UNASSIGNED or a task state), ?q=<part of name or ID>, ?page=
// (from 1). Scoped and audited in lib/regions/progress.ts; each row opens the task's page.

export const dynamic = "force-dynamic";

type Search = { state?: string; q?: string; page?: string };

export default async function RegionTasksPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  const code = safeDecode((await params).code) ?? "";
  const sp = await searchParams;
  const filter = ZRegionTaskFilter.parse({ state: sp.state, q: sp.q || undefined });
  const page = Math.max(1, parsePage(sp.page));
  const loaded = await guarded(
    Promise.all([regionCrumbs(user, code), regionTasks(user, code, filter, page - 1)]),
    { page: "region-tasks", region: code },
  );
  if (!loaded.ok) refusePage(loaded.refusal);
  const [crumbs, { rows, total }] = loaded.value;
  const regionName = crumbs[crumbs.length - 1]?.name ?? "";
  const href = (p: number, state = filter.state) => {
    const q = new URLSearchParams();
    if (state) q.set("state", state);
    if (filter.q) q.set("q", filter.q);
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return `/regions/${code}/tasks${s ? `?${s}` : ""}`;
  };
  const tab = "rounded px-2 py-1 text-sm";
  return (
    <div className="space-y-4">
      <RegionCrumbs t={t} crumbs={crumbs} tail={t("nav.tasks")} />
      <h1 className="text-2xl font-semibold" data-testid="region-tasks-title">
        {t("regionTasks.title", { region: regionName })}
        {filter.state && <span className="ml-2 text-lg font-normal text-slate-600">· {t(`progress.col.${filter.state}`)}</span>}
      </h1>
      <nav className="flex flex-wrap gap-1" aria-label={t("regionTasks.state")}>
        <Link href={href(1, undefined)} className={`${tab} ${!filter.state ? "bg-blue-700 text-white" : "text-blue-700 hover:bg-blue-50"}`}>
          {t("regionTasks.all")}
        </Link>
        {PROGRESS_COLUMNS.map((c) => (
          <Link key={c} href={href(1, c)} className={`${tab} ${filter.state === c ? "bg-blue-700 text-white" : "text-blue-700 hover:bg-blue-50"}`} aria-current={filter.state === c ? "page" : undefined}>
            {t(`progress.col.${c}`)}
          </Link>
        ))}
      </nav>
      <form className="flex flex-wrap items-end gap-2" method="get">
        {filter.state && <input type="hidden" name="state" value={filter.state} />}
        <label className="flex min-w-0 flex-col gap-1 text-sm">
          <span className="text-slate-700">{t("review.filter.q")}</span>
          <input name="q" defaultValue={filter.q ?? ""} className="rounded border border-slate-300 px-3 py-1.5" />
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800">
          {t("regionTasks.search")}
        </button>
        <Link href={`/regions/${code}`} className="ml-auto text-sm text-blue-700 hover:underline">
          {t("regionTasks.back")}
        </Link>
      </form>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-500">{t("tasks.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="region-task-table">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2 font-normal">{t("review.col.name")}</th>
                <th className="px-3 py-2 font-normal">{t("review.col.id")}</th>
                <th className="px-3 py-2 font-normal">{t("review.col.region")}</th>
                <th className="px-3 py-2 font-normal">{t("tasks.reason")}</th>
                <th className="px-3 py-2 font-normal">{t("regionTasks.team")}</th>
                <th className="px-3 py-2 font-normal">{t("regionTasks.state")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100" data-testid={`region-task-${r.id}`}>
                  <td className="px-3 py-2">
                    <Link href={`/review/${r.id}`} className="text-blue-700 hover:underline">
                      {r.name || "—"}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-500">{r.idMasked}</td>
                  <td className="px-3 py-2">{r.regionName}</td>
                  <td className="px-3 py-2">{taskReasonLabel(t, r.reason, r.category)}</td>
                  <td className="px-3 py-2 text-slate-600">{r.teamName ?? "—"}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {r.state === "PENDING" ? t(r.released ? "progress.col.UNASSIGNED" : "progress.col.UNRELEASED") : t(`task.state.${r.state}` as TMessageKey)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageSize={REGION_TASK_PAGE_SIZE} total={total} href={(p) => href(p)} t={t} />
    </div>
  );
}
