import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { maskIdNumber } from "@/lib/ids/id-number";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { roleHas } from "@/lib/policy";
import { searchRegistryAction } from "@/lib/registry/actions";
import { searchPersons } from "@/lib/registry/queries";

export const dynamic = "force-dynamic";

// 登记库: find a person in the actor's scope by their full ID number. The number is posted to
// searchRegistryAction, which answers with /registry?s=<opaque key>; neither the URL nor this page's
// HTML carries the full number (the list masks it, links use the person's opaque key).
export default async function RegistryPage({ searchParams }: { searchParams: Promise<{ s?: string | string[] }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "person:view")) forbidden();
  const s = (await searchParams).s;
  const searched = typeof s === "string" ? s : null;
  const id = searched ? idNumberOfRef(searched) : null;
  const rows = searched ? await searchPersons(user, id ?? "") : [];
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("registry.title")}</h1>
      <form action={searchRegistryAction} className="flex flex-wrap items-end gap-2" role="search">
        <label className="flex min-w-0 flex-1 flex-col text-sm sm:max-w-md">
          <span className="text-slate-600">{t("registry.search")}</span>
          <input name="q" inputMode="text" maxLength={18} autoComplete="off" placeholder={t("registry.searchPlaceholder")} className="rounded border border-slate-300 px-2 py-1.5 font-mono" data-testid="registry-search" />
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800">
          {t("registry.searchSubmit")}
        </button>
      </form>
      <p className="text-xs text-slate-500">{t("registry.searchHint")}</p>
      {id && (
        <p className="text-sm text-slate-600">
          {t("registry.searchedFor")}：<span className="font-mono">{maskIdNumber(id)}</span>
        </p>
      )}
      {searched && rows.length === 0 && <p className="text-sm text-slate-600" data-testid="registry-no-result">{t("registry.noResult")}</p>}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="registry-results">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("survey.name")}</th>
                <th className="px-3 py-2">{t("registry.idNumber")}</th>
                <th className="px-3 py-2">{t("registry.status")}</th>
                <th className="px-3 py-2">{t("registry.region")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.ref} className="border-t border-slate-100">
                  <td className="px-3 py-2">
                    <Link href={`/registry/${r.ref}`} className="text-blue-700 hover:underline">
                      {r.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 font-mono">{r.maskedId}</td>
                  <td className="px-3 py-2">{t(`status.${r.status}` as "status.NEEDS_SURVEY")}</td>
                  <td className="px-3 py-2 tabular-nums text-slate-500">{r.regionCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
