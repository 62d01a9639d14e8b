import type { Translate } from "@/lib/i18n/messages";

/** The export links of a list: XLSX and CSV of exactly the list's rows (same filters, all pages). */
export function ExportLinks({ href, t, testId = "export" }: { href: (format: "xlsx" | "csv") => string; t: Translate; testId?: string }) {
  const cls = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50";
  return (
    <span className="flex flex-wrap gap-2">
      <a href={href("xlsx")} className={cls} data-testid={`${testId}-xlsx`} download>
        {t("common.exportXlsx")}
      </a>
      <a href={href("csv")} className={cls} data-testid={`${testId}-csv`} download>
        {t("common.exportCsv")}
      </a>
    </span>
  );
}
