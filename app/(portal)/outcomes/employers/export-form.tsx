import type { Translate } from "@/lib/i18n/messages";

/** The export form: a stated reason is required (checked again on the server, with a Chinese error). */
export function ExportForm({ t, employer, error }: { t: Translate; employer?: string; error?: string | null }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid="employers-export">
      <h2 className="mb-1 font-medium">{t("employers.export.title")}</h2>
      <p className="mb-3 text-sm text-slate-600">{t("employers.export.note")}</p>
      <form method="post" action="/outcomes/employers/export" className="flex flex-wrap items-end gap-3">
        {employer !== undefined && <input type="hidden" name="employer" value={employer} />}
        <label className="flex min-w-80 flex-col text-sm">
          <span className="text-slate-600">{t("employers.export.reason")}</span>
          <input name="reason" required minLength={4} maxLength={500} className="rounded border border-slate-300 px-2 py-1.5" aria-invalid={error ? true : undefined} />
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800">
          {employer !== undefined ? `${t("employers.export.submit")}（${t("employers.export.employerOnly")}）` : t("employers.export.submit")}
        </button>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700" data-testid="export-error">
          {error}
        </p>
      )}
    </section>
  );
}
