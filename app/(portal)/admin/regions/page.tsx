import { forbidden } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { listRegionsForAdmin } from "@/lib/users/queries";

export default async function AdminRegionsPage() {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "admin:regions")) forbidden();
  const regions = await listRegionsForAdmin(user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("nav.regions")}</h1>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("region.code")}</th>
              <th className="px-3 py-2">{t("common.name")}</th>
              <th className="px-3 py-2">{t("region.level")}</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.code} className="border-t border-slate-100">
                <td className="px-3 py-1.5 font-mono">{r.code}</td>
                <td className="px-3 py-1.5" style={{ paddingLeft: `${0.75 + (r.code.length - 4) * 0.35}rem` }}>
                  {r.name}
                </td>
                <td className="px-3 py-1.5">{t(`level.${r.level}` as TMessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
