import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { maskIdNumber } from "@/lib/ids/id-number";
import { getBatch, listInvalidRows } from "@/lib/import/queries";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { can } from "@/lib/policy";
import { parseId } from "@/lib/http/params";

const SHOWN = 200;

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "import:run")) forbidden();
  const id = parseId((await params).id);
  const batch = id !== null ? await getBatch(user, id) : null;
  if (!batch) notFound();
  const invalid = await listInvalidRows(user, batch.id, batch.kind, SHOWN);
  const facts: [string, string][] = [
    [t("import.kind"), t(`import.kind.${batch.kind}` as TMessageKey)],
    [t("import.status"), t(`import.status.${batch.status}` as TMessageKey)],
    [t("import.importedBy"), batch.importedBy?.realName ?? "—"],
    [t("import.importedAt"), batch.importedAt.toLocaleString("zh-CN")],
    ...(batch.retiredAt ? ([[t("import.retiredAt"), batch.retiredAt.toLocaleString("zh-CN")]] as [string, string][]) : []),
    [t("import.encoding"), batch.encoding ?? "—"],
    [t("import.rowsRead"), batch.rowsRead.toLocaleString()],
    [t("import.rowsLoaded"), batch.rowsLoaded.toLocaleString()],
    [t("import.rowsInvalid"), batch.rowsInvalid.toLocaleString()],
    [t("import.checksum"), batch.checksum],
  ];
  return (
    <div className="space-y-6">
      <Link href="/imports" className="text-sm text-blue-700 underline">
        {t("import.back")}
      </Link>
      <h1 className="break-all text-2xl font-semibold">{t("import.detailTitle", { id: batch.id, file: batch.fileName })}</h1>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2" data-testid="batch-facts">
        {facts.map(([k, v]) => (
          <div key={k} className="flex gap-2">
            <dt className="shrink-0 text-slate-500">{k}</dt>
            <dd className="break-all tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      <section className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="font-medium">{t("import.invalidRows")}</h2>
          {invalid.total > 0 && (
            // The file holds the raw, unmasked IDs (to correct the source system): a stated reason is required and audited.
            <form method="get" action={`/api/imports/${batch.id}/invalid`} className="flex flex-wrap items-end gap-2 text-sm">
              <label className="flex flex-col">
                <span className="text-slate-600">{t("export.reason")}</span>
                <input name="reason" required minLength={2} maxLength={200} className="rounded border border-slate-300 px-2 py-1.5" data-testid="download-invalid-reason" />
              </label>
              <button type="submit" className="rounded border border-blue-700 px-3 py-1.5 text-blue-700 hover:bg-blue-50" data-testid="download-invalid">
                {t("import.downloadInvalid")}
              </button>
            </form>
          )}
        </div>
        {invalid.total === 0 ? (
          <p className="text-sm text-slate-500">{t("import.noInvalid")}</p>
        ) : (
          <>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-sm" data-testid="invalid-table">
                <thead className="bg-slate-50 text-left text-slate-600">
                  <tr>
                    <th className="px-3 py-2 text-right">{t("import.line")}</th>
                    <th className="px-3 py-2">{t("import.idRaw")}</th>
                    <th className="px-3 py-2">{t("import.name")}</th>
                    <th className="px-3 py-2">{t("import.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {invalid.rows.map((r) => (
                    <tr key={r.lineNo} className="border-t border-slate-100">
                      <td className="px-3 py-1.5 text-right tabular-nums">{r.lineNo}</td>
                      <td className="px-3 py-1.5 font-mono">{maskIdNumber(r.idRaw?.trim())}</td>
                      <td className="px-3 py-1.5">{r.name ?? ""}</td>
                      <td className="px-3 py-1.5">{t(`import.reason.${r.reason}` as TMessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {invalid.total > invalid.rows.length && <p className="text-xs text-slate-500">{t("import.moreInvalid", { shown: invalid.rows.length, total: invalid.total })}</p>}
          </>
        )}
      </section>
    </div>
  );
}
