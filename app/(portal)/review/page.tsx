import Link from "next/link";
import { BulkApproveForm, SelectPage } from "@/components/review/bulk-approve";
import { forbidden } from "next/navigation";
import { refusePage } from "@/lib/http/refuse";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import { parsePage } from "@/lib/http/params";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import { parseQueueFilter, QUEUE_PAGE_SIZE, queueFilterOptions, queueFilterQuery, reviewQueuePage } from "@/lib/review/queue";
import { categoryLabel } from "@/lib/registry/labels";

// The review queue (街道初审 / 区审定): filters (region, category, submitted by, returned before), a
// search by part of the name or of the ID number, page numbers, the export of the filtered list, and
// bulk approval of the ticked forms. Each row opens the form with the same filters, so that after a
// decision the next task of this list opens.

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  const initial = roleHas(user.role, "review:initial");
  if (!initial && !roleHas(user.role, "review:final")) forbidden();
  const sp = await searchParams;
  const filter = parseQueueFilter(sp);
  const page = Math.max(1, parsePage(typeof sp.page === "string" ? sp.page : undefined));
  const loaded = await guarded(Promise.all([reviewQueuePage(user, filter, page - 1), queueFilterOptions(user)]), { page: "review", ...filter });
  if (!loaded.ok) refusePage(loaded.refusal);
  const [{ rows, total }, options] = loaded.value;
  const qs = queueFilterQuery(filter);
  const done = sp.done === "approved" || sp.done === "returned" ? sp.done : null;
  const input = "rounded border border-slate-300 bg-white px-2 py-1.5";
  const th = "px-3 py-2 font-normal whitespace-nowrap";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{initial ? t("review.initial") : t("review.final")}</h1>
      {done && (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800" role="status" data-testid="review-done">
          {t(`review.done.${done}`, { id: String(sp.from ?? "") })} {t("review.queueDone")}
        </p>
      )}
      <form method="get" className="grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-3 lg:grid-cols-6" data-testid="queue-filter">
        <label className="flex min-w-0 flex-col gap-1">
          <span className="text-slate-700">{t("review.filter.region")}</span>
          <select name="region" defaultValue={filter.region ?? ""} className={input}>
            <option value="">{t("review.filter.all")}</option>
            {options.regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.level === "COMMUNITY" ? `\u3000${r.name}` : r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col gap-1">
          <span className="text-slate-700">{t("review.filter.category")}</span>
          <select name="category" defaultValue={filter.category ?? ""} className={input}>
            <option value="">{t("review.filter.all")}</option>
            {options.categories.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(t, c)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col gap-1">
          <span className="text-slate-700">{t("review.filter.submittedBy")}</span>
          <select name="submittedBy" defaultValue={filter.submittedBy ? String(filter.submittedBy) : ""} className={input}>
            <option value="">{t("review.filter.all")}</option>
            {options.submitters.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col gap-1">
          <span className="text-slate-700">{t("review.filter.returned")}</span>
          <select name="returned" defaultValue={filter.returned ?? ""} className={input}>
            <option value="">{t("review.filter.all")}</option>
            <option value="yes">{t("review.filter.returned.yes")}</option>
            <option value="no">{t("review.filter.returned.no")}</option>
          </select>
        </label>
        <label className="col-span-2 flex min-w-0 flex-col gap-1 sm:col-span-1">
          <span className="text-slate-700">{t("review.filter.q")}</span>
          <input name="q" defaultValue={filter.q ?? ""} className={input} data-testid="queue-q" />
        </label>
        <div className="col-span-2 flex items-end gap-2 sm:col-span-1">
          <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">
            {t("review.filter.apply")}
          </button>
          <Link href="/review" className="px-2 py-1.5 text-blue-700 hover:underline">
            {t("review.filter.reset")}
          </Link>
        </div>
      </form>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <a href={`/review/export${queueFilterQuery(filter, { format: "xlsx" })}`} className="text-blue-700 underline" data-testid="queue-export">
          {t("common.exportXlsx")}
        </a>
        <a href={`/review/export${queueFilterQuery(filter, { format: "csv" })}`} className="text-blue-700 underline">
          {t("common.exportCsv")}
        </a>
        <span className="text-slate-500">{t("review.bulk.hint")}</span>
      </div>
      {/* Always mounted, so that the answer of a bulk approval that emptied the page stays shown. */}
      <BulkApproveForm submitLabel={t("review.bulk.submit")} confirm={t("review.bulk.confirm")}>
        {rows.length === 0 ? (
          <p className="w-full rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-500" data-testid="queue-empty">
            {t("review.none")}
          </p>
        ) : (
          <div className="w-full overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="task-list">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className={th}>
                    <SelectPage label={t("review.bulk.selectPage")} />
                  </th>
                  <th className={th}>{t("review.col.name")}</th>
                  <th className={th}>{t("review.col.id")}</th>
                  <th className={th}>{t("review.col.region")}</th>
                  <th className={th}>{t("review.col.category")}</th>
                  <th className={`${th} hidden md:table-cell`}>{t("review.col.submittedBy")}</th>
                  <th className={`${th} hidden md:table-cell`}>{t("review.col.submittedAt")}</th>
                  <th className={`${th} hidden md:table-cell`}>{t("review.col.returned")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100" data-testid={`task-${r.id}`}>
                    <td className="px-3 py-2">
                      <input type="checkbox" name="task" value={`${r.id}:${r.version}`} disabled={r.filledByMe} aria-label={`${t("review.bulk.select")} ${r.name}`} data-testid={`select-${r.id}`} />
                    </td>
                    <td className="px-3 py-2">
                      <Link href={`/review/${r.id}${qs}`} className="text-blue-700 hover:underline">
                        {r.name || "—"}
                      </Link>
                      {r.newlyFound && <span className="ml-2 rounded bg-purple-50 px-1.5 text-xs text-purple-700">{t("survey.newPerson")}</span>}
                      {r.filledByMe && (
                        <span className="ml-2 rounded bg-amber-50 px-1.5 text-xs text-amber-800" data-testid="own-work">
                          {t("review.ownWork")}
                        </span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-500">{r.idMasked}</td>
                    <td className="whitespace-nowrap px-3 py-2">{r.regionName}</td>
                    <td className="px-3 py-2">{categoryLabel(t, r.category)}</td>
                    <td className="hidden px-3 py-2 md:table-cell">{r.submittedByName ?? "—"}</td>
                    <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 md:table-cell">{r.submittedAt?.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) ?? "—"}</td>
                    <td className="hidden px-3 py-2 md:table-cell">{r.everReturned ? t("review.filter.returned.yes") : t("review.filter.returned.no")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </BulkApproveForm>
      <Pager page={page} pageSize={QUEUE_PAGE_SIZE} total={total} href={(p) => `/review${queueFilterQuery(filter, { page: p > 1 ? p : undefined })}`} t={t} />
    </div>
  );
}
