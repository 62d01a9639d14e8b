import Link from "next/link";
import { RegionOverview } from "@/components/layout/region-overview";
import { Stat } from "@/components/ui/stat";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { getRegionForUser } from "@/lib/regions/queries";
import { adminCounts } from "@/lib/users/queries";
import { auditCount } from "@/lib/audit/queries";

export default async function HomePage() {
  const user = await requireUser();
  const t = await getT();
  const greeting = <p className="mb-4 text-slate-600" data-testid="home-role">{t("home.greeting", { name: user.realName })} · {t(`role.${user.role}`)}</p>;

  if (roleHas(user.role, "admin:users")) {
    const counts = await adminCounts(user);
    return (
      <div data-testid="home-admin">
        {greeting}
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
          <Stat label={t("home.users")} value={counts.users} />
          <Stat label={t("home.activeUsers")} value={counts.activeUsers} />
          <Stat label={t("home.regions")} value={counts.regions} />
        </div>
        <p className="mt-4 text-sm text-slate-500">{t("home.adminNote")}</p>
        <Link href="/admin/users" className="mt-4 inline-block text-blue-700 underline">{t("nav.users")}</Link>
      </div>
    );
  }
  if (roleHas(user.role, "audit:view")) {
    return (
      <div data-testid="home-auditor">
        {greeting}
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
          <Stat label={t("home.auditEntries")} value={await auditCount(user)} />
        </div>
        <p className="mt-4 text-sm text-slate-500">{t("home.auditorNote")}</p>
        <Link href="/audit" className="mt-4 inline-block text-blue-700 underline">{t("nav.audit")}</Link>
      </div>
    );
  }
  const region = await getRegionForUser(user, user.regionCode ?? "");
  return (
    <div data-testid={`home-${user.role.toLowerCase().replace("_", "-")}`}>
      {greeting}
      <RegionOverview user={user} region={region} />
    </div>
  );
}
