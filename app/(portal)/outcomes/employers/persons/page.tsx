import { notFound } from "next/navigation";
import Link from "next/link";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { listEmployerPersons, PERSONS_PAGE_SIZE } from "@/lib/outcomes/employers-view";
import { guarded } from "@/lib/policy";
import { ExportForm } from "../export-form";

// The persons behind one employer, in the actor's scope, IDs masked, paged.
export const dynamic = "force-dynamic";

export default async function EmployerPersonsPage({ searchParams }: { searchParams: Promise<{ employer?: string; page?: string; exportError?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  const sp = await searchParams;
  const employer = sp.employer ?? "";
  const page = Math.max(1, Number(sp.page) || 1);
  const result = await guarded(listEmployerPersons(user, employer, page));
  if (!result.ok) refusePage(result.refusal);
  const { total, persons } = result.value;
  if (total === 0) notFound();
  const pages = Math.max(1, Math.ceil(total / PERSONS_PAGE_SIZE));
  const href = (p: number) => `/outcomes/employers/persons?employer=${encodeURIComponent(employer)}&page=${p}`;
  return (
    <div className="space-y-6">
      <Link href="/outcomes/employers" className="text-sm text-blue-700 hover:underline">
        {t("employers.persons.back")}
      </Link>
      <h1 className="text-2xl font-semibold">{t("employers.persons.title", { employer })}</h1>
      <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="employer-persons">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("employers.col.idNumber")}</th>
              <th className="px-3 py-2">{t("employers.col.name")}</th>
              <th className="px-3 py-2">{t("employers.col.missingSchemes")}</th>
              <th className="px-3 py-2">{t("employers.col.region")}</th>
              <th className="px-3 py-2">{t("employers.col.source")}</th>
            </tr>
          </thead>
          <tbody>
            {persons.map((p, i) => (
              <tr key={`${p.maskedId}-${p.source}-${i}`} className="border-t border-slate-100">
                <td className="px-3 py-1.5 tabular-nums">{p.maskedId}</td>
                <td className="px-3 py-1.5">{p.name}</td>
                <td className="px-3 py-1.5">{p.missingSchemes.map((s) => t(`registry.scheme.${s}` as TMessageKey)).join("、")}</td>
                <td className="px-3 py-1.5 tabular-nums">{p.regionName ?? p.regionCode ?? ""}</td>
                <td className="px-3 py-1.5">{t(`employers.source.${p.source}` as TMessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <nav className="flex items-center gap-4 text-sm">
        {page > 1 && <Link href={href(page - 1)} className="text-blue-700 hover:underline">{t("employers.prev")}</Link>}
        <span className="text-slate-600">{t("employers.page", { page, pages, total })}</span>
        {page < pages && <Link href={href(page + 1)} className="text-blue-700 hover:underline">{t("employers.next")}</Link>}
      </nav>
      <ExportForm t={t} employer={employer} error={sp.exportError?.startsWith("employers.export.") ? t(sp.exportError as TMessageKey) : null} />
    </div>
  );
}
