import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";

// Page numbers under a list: 上一页 · 1 … 4 5 [6] 7 8 … 120 · 下一页, and the total. `href(page)`
// builds a page's URL with the list's filters kept. Rendered on the server; no script needed.

/** The page numbers shown around the current one (first, last, a window of 2 each side; 0 = a gap). */
export function pageWindow(page: number, pages: number): number[] {
  const shown = new Set<number>([1, pages]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: number[] = [];
  for (const p of sorted) {
    if (out.length && p - out[out.length - 1] > 1) out.push(0);
    out.push(p);
  }
  return out;
}

export function Pager({ page, pageSize, total, href, t, testId = "pager", atLeast = false }: { page: number; pageSize: number; total: number; href: (page: number) => string; t: Translate; testId?: string; /** The count stopped at `total` (a capped count): "超过 N 条". */ atLeast?: boolean }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const link = "rounded px-2 py-1 text-blue-700 hover:bg-blue-50";
  return (
    <nav className="flex flex-wrap items-center gap-1 text-sm" aria-label={t("common.pages")} data-testid={testId}>
      <span className="mr-2 text-slate-600" data-testid={`${testId}-total`}>
        {t(atLeast ? "common.totalRowsAtLeast" : "common.totalRows", { n: total.toLocaleString("zh-CN") })}
      </span>
      {current > 1 && (
        <Link href={href(current - 1)} className={link} rel="prev">
          {t("common.prev")}
        </Link>
      )}
      {pages > 1 &&
        pageWindow(current, pages).map((p, i) =>
          p === 0 ? (
            <span key={`gap-${i}`} className="px-1 text-slate-400">
              …
            </span>
          ) : p === current ? (
            <span key={p} aria-current="page" className="rounded bg-blue-700 px-2 py-1 text-white">
              {p}
            </span>
          ) : (
            <Link key={p} href={href(p)} className={link}>
              {p}
            </Link>
          ),
        )}
      {current < pages && (
        <Link href={href(current + 1)} className={link} rel="next" data-testid={`${testId}-next`}>
          {t("common.next")}
        </Link>
      )}
    </nav>
  );
}
