import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";
import type { Crumb } from "@/lib/regions/progress";

/** City › district › street › community by name; every step but the last opens that region. */
export function RegionCrumbs({ t, crumbs, tail }: { t: Translate; crumbs: Crumb[]; tail?: string }) {
  if (crumbs.length === 0) return null;
  return (
    <nav aria-label={t("progress.breadcrumbs")} className="text-sm text-slate-600" data-testid="breadcrumbs">
      <ol className="flex flex-wrap items-center gap-1">
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1 && !tail;
          return (
            <li key={c.code} className="flex items-center gap-1">
              {i > 0 && <span aria-hidden="true" className="text-slate-400">›</span>}
              {last ? (
                <span aria-current="page" className="font-medium text-slate-800">
                  {c.name}
                </span>
              ) : (
                <Link href={`/regions/${c.code}`} className="text-blue-700 hover:underline">
                  {c.name}
                </Link>
              )}
            </li>
          );
        })}
        {tail && (
          <li className="flex items-center gap-1">
            <span aria-hidden="true" className="text-slate-400">›</span>
            <span aria-current="page" className="font-medium text-slate-800">
              {tail}
            </span>
          </li>
        )}
      </ol>
    </nav>
  );
}
