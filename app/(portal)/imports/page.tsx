import { forbidden } from "next/navigation";
import Link from "next/link";
import { AutoRefresh } from "@/components/comparison/auto-refresh";
import { requireUser } from "@/lib/auth/session";
import { IMPORT_KINDS } from "@/lib/import/formats";
import { IMPORT_REFUSALS } from "@/lib/import/import-error";
import { ExportLinks } from "@/components/lists/export-links";
import { Pager } from "@/components/ui/pager";
import { BATCH_PAGE_SIZE, BATCH_STATUSES, batchFilterOf, listBatchesPage } from "@/lib/import/batch-list";
import { pageParam, type Search, single, withQuery } from "@/lib/lists/url";
import { RUNNING_PHASES, recentImportJobs } from "@/lib/jobs/progress";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { can } from "@/lib/policy";
import { UploadForm } from "./upload-form";
import { ApplyButton, DateRangeFields } from "@/components/lists/filter-fields";

// 数据导入: the upload form, the templates of every data kind (headers from the import contract),
// the user's running imports, and the batches — filtered by kind, status, date and file name, 20 a
// page with page numbers, exported with the same rows.
export default async function ImportsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "import:run")) forbidden();
  const sp = single(await searchParams);
  const filter = batchFilterOf(sp);
  const page = pageParam(sp.page);
  const { rows: batches, total } = await listBatchesPage(user, filter, page);
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  // The user's imports of the last day as the database has them: after a reload, or from another
  // portal process, a running import still shows its progress; one whose process died shows as interrupted.
  const jobs = await recentImportJobs(user.id);
  const running = jobs.some((j) => (RUNNING_PHASES as readonly string[]).includes(j.phase));
  const kinds = IMPORT_KINDS.map((k) => ({ value: k, label: t(`import.kind.${k}` as TMessageKey) }));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("import.title")}</h1>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <UploadForm
          kinds={kinds}
          labels={{
            kind: t("import.kind"),
            file: t("import.file"),
            replace: t("import.replace"),
            submit: t("import.submit"),
            upload: t("import.progress.upload"),
            rows: t("import.progress.rows"),
            refused: t("import.refused"),
            chooseFile: t("import.chooseFile"),
            generic: t("error.generic"),
            line: t("import.line"),
            column: t("import.column"),
            reason: t("import.reason"),
            fileName: t("import.fileName"),
            refusals: Object.fromEntries(IMPORT_REFUSALS.map((r) => [r, t(`import.refusal.${r}` as TMessageKey)])),
          }}
        />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid="import-templates">
        <h2 className="font-medium">{t("import.template")}</h2>
        <p className="mb-2 text-xs text-slate-500">{t("import.templateHint")}</p>
        <ul className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {IMPORT_KINDS.map((k) => (
            <li key={k} className="flex flex-wrap items-center gap-2">
              <span className="min-w-[8rem]">{t(`import.kind.${k}` as TMessageKey)}</span>
              <a href={`/api/imports/template?kind=${k}&format=xlsx`} className="text-blue-700 hover:underline" data-testid={`template-${k}-xlsx`} download>
                Excel
              </a>
              <a href={`/api/imports/template?kind=${k}&format=csv`} className="text-blue-700 hover:underline" data-testid={`template-${k}-csv`} download>
                CSV
              </a>
            </li>
          ))}
        </ul>
      </section>
      {jobs.length > 0 && (
        <section className="space-y-2" data-testid="import-jobs">
          {running && <AutoRefresh />}
          <h2 className="font-medium">{t("import.jobs")}</h2>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {jobs.map((j) => (
              <li key={j.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2" data-testid="import-job">
                <span className="font-medium">{j.fileName}</span>
                <span className="text-slate-500">{t(`import.kind.${j.kind}` as TMessageKey)}</span>
                <span className={j.phase === "done" ? "text-green-700" : j.phase === "uploading" || j.phase === "importing" ? "text-blue-700" : "text-red-700"}>
                  {t(`import.phase.${j.phase}` as TMessageKey)}
                </span>
                {(j.phase === "uploading" || j.phase === "importing") && j.total > 0 && <span className="tabular-nums text-slate-600">{Math.min(100, Math.round((100 * j.done) / j.total))}%</span>}
                {j.rows > 0 && <span className="tabular-nums text-slate-600">{t("import.progress.rows", { rows: j.rows.toLocaleString() })}</span>}
                <span className="ml-auto tabular-nums text-slate-400">{j.startedAt.toLocaleString("zh-CN")}</span>
                {j.phase === "refused" && j.message && <p className="w-full text-red-700">{j.message}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="space-y-2">
        <h2 className="font-medium">{t("import.batches")}</h2>
        <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" data-testid="batches-filter">
          <label className="flex flex-col">
            <span className="text-slate-600">{t("import.kind")}</span>
            <select name="kind" defaultValue={filter.kind ?? ""} className={input}>
              <option value="">{t("lists.any")}</option>
              {kinds.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            <span className="text-slate-600">{t("import.status")}</span>
            <select name="status" defaultValue={filter.status ?? ""} className={input}>
              <option value="">{t("lists.any")}</option>
              {BATCH_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`import.status.${s}` as TMessageKey)}
                </option>
              ))}
            </select>
          </label>
          <DateRangeFields fromLabel={t("lists.imports.importedFrom")} toLabel={t("lists.to")} from={filter.from} to={filter.to} />
          <label className="flex flex-col">
            <span className="text-slate-600">{t("lists.imports.fileSearch")}</span>
            <input name="q" defaultValue={filter.q ?? ""} maxLength={60} className={input} data-testid="batches-search" />
          </label>
          <ApplyButton label={t("lists.apply")} />
        </form>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Pager page={page} pageSize={BATCH_PAGE_SIZE} total={total} href={(p) => withQuery("/imports", { ...filter, page: p })} t={t} testId="batches-pager" />
          <ExportLinks href={(format) => withQuery("/api/imports/export", { ...filter, format })} t={t} testId="batches-export" />
        </div>
        {batches.length === 0 ? (
          <p className="text-sm text-slate-500">{t("lists.noMatch")}</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="batch-table">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t("import.batch")}</th>
                  <th className="px-3 py-2">{t("import.kind")}</th>
                  <th className="px-3 py-2">{t("import.fileName")}</th>
                  <th className="px-3 py-2">{t("import.importedBy")}</th>
                  <th className="px-3 py-2">{t("import.importedAt")}</th>
                  <th className="px-3 py-2 text-right">{t("import.rowsRead")}</th>
                  <th className="px-3 py-2 text-right">{t("import.rowsLoaded")}</th>
                  <th className="px-3 py-2 text-right">{t("import.rowsInvalid")}</th>
                  <th className="px-3 py-2">{t("import.status")}</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id} className="border-t border-slate-100" data-testid={`batch-${b.id}`}>
                    <td className="px-3 py-1.5">
                      <Link href={`/imports/${b.id}`} className="text-blue-700 underline">
                        {b.id}
                      </Link>
                    </td>
                    <td className="whitespace-nowrap px-3 py-1.5">{t(`import.kind.${b.kind}` as TMessageKey)}</td>
                    <td className="max-w-[12rem] truncate px-3 py-1.5" title={b.fileName}>
                      {b.fileName}
                    </td>
                    <td className="whitespace-nowrap px-3 py-1.5">{b.importedBy ?? "—"}</td>
                    <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{b.importedAt.toLocaleString("zh-CN")}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{b.rowsRead.toLocaleString()}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{b.rowsLoaded.toLocaleString()}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{b.rowsInvalid.toLocaleString()}</td>
                    <td className={`whitespace-nowrap px-3 py-1.5 ${b.status === "ACTIVE" ? "text-green-700" : "text-slate-400"}`}>{t(`import.status.${b.status}` as TMessageKey)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
