import { forbidden } from "next/navigation";
import Link from "next/link";
import { AutoRefresh } from "@/components/comparison/auto-refresh";
import { requireUser } from "@/lib/auth/session";
import { IMPORT_KINDS } from "@/lib/import/formats";
import { IMPORT_REFUSALS } from "@/lib/import/import-error";
import { listBatches } from "@/lib/import/queries";
import { RUNNING_PHASES, recentImportJobs } from "@/lib/jobs/progress";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { can } from "@/lib/policy";
import { UploadForm } from "./upload-form";

export default async function ImportsPage() {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "import:run")) forbidden();
  const batches = await listBatches(user);
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
        {batches.length === 0 ? (
          <p className="text-sm text-slate-500">{t("common.none")}</p>
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
                    <td className="whitespace-nowrap px-3 py-1.5">{b.importedBy?.realName ?? "—"}</td>
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
