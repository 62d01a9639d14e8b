import { writeAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { refusePage } from "@/lib/http/refuse";
import { guarded } from "@/lib/policy";
import { filterParams, parseTaskFilter, rosterRows, rosterSelection } from "@/lib/survey/assign";
import { rosterCells, rosterHeader } from "@/lib/survey/assign-format";

// 需调查人员花名册 (seed 000 "需调查人员数据花名册"): the selected tasks of one community (the ticked
// ones, or those matching the task list's filter — e.g. the tasks just assigned to a team), for the
// surveyors' round; the same rows as its XLSX export. IDs masked; the form itself carries the full one.
export default async function PrintRosterPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { code } = await params;
  const search = await searchParams;
  const user = await requireUser();
  const t = await getT();
  const filter = parseTaskFilter(search);
  const raw = search.task;
  const taskIds = rosterSelection(raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
  const roster = await guarded(rosterRows(user, code, filter, taskIds), { page: "roster", code });
  if (!roster.ok) refusePage(roster.refusal);
  const { communityName, rows } = roster.value;
  await writeAudit(user, { action: "roster.print", entity: "region", entityId: code, regionCode: code, detail: { filters: filter, taskIds: rows.map((r) => r.id), rows: rows.length } });
  const header = rosterHeader(t);
  // The _code columns are for machines reading the export; the printed sheet shows the labels.
  const shown = header.map((h, i) => (h.endsWith("_code") ? -1 : i)).filter((i) => i >= 0);
  const query = new URLSearchParams(filterParams(filter));
  for (const id of taskIds ?? []) query.append("task", String(id));
  const th = "border border-black px-1 py-1 font-medium";
  const td = "border border-black px-1 py-0.5 align-top";
  return (
    <article className="sheet sheet-landscape" data-testid="print-roster">
      <h1 className="text-center text-lg font-bold">{t("roster.title")}</h1>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
        <span>{t("roster.heading", { name: communityName, n: rows.length })}</span>
        <span>
          {t("print.printedAt")} {new Date().toISOString().slice(0, 10)}{" "}
          <a download href={`/print/community/${code}/roster/export?${query.toString()}`} className="no-print ml-2 text-blue-700 underline" data-testid="roster-export">
            {t("print.exportXlsx")}
          </a>
        </span>
      </p>
      {rows.length === 0 ? (
        <p className="mt-4 text-sm">{t("roster.empty")}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full border-collapse text-[10px] leading-snug">
            <thead>
              <tr>
                {shown.map((i) => (
                  <th key={i} className={th}>
                    {header[i]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, n) => {
                const cells = rosterCells(t, r, n + 1);
                return (
                  <tr key={r.id} className="break-inside-avoid" data-testid="roster-row">
                    {shown.map((i) => (
                      <td key={i} className={td}>
                        {cells[i]}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="mt-6 flex flex-wrap gap-x-16 gap-y-2 text-xs">
        <span>{t("print.preparedBy")}：＿＿＿＿＿＿</span>
        <span>{t("print.reviewedBy")}：＿＿＿＿＿＿</span>
        <span>
          {t("print.date")}：{t("print.yearMonthDay")}
        </span>
      </p>
    </article>
  );
}
