import Link from "next/link";
import type { SessionUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { LanguageSwitch } from "./language-switch";
import { NAV_ITEMS } from "./nav-items";
import { SignOutButton } from "./sign-out-button";

export async function PortalShell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  const t = await getT();
  const seen = new Set<TMessageKey>();
  const items = NAV_ITEMS.filter((item) => {
    if (item.permission && !roleHas(user.role, item.permission)) return false;
    if (seen.has(item.key)) return false;
    seen.add(item.key);
    return true;
  });
  return (
    <div className="min-h-screen">
      <header className="no-print border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link href="/" className="font-semibold text-blue-800">
            {t("app.title")}
          </Link>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span data-testid="current-user">
              {user.realName} · {t(`role.${user.role}` as TMessageKey)}
              {user.regionName ? ` · ${user.regionName}` : ""}
            </span>
            <LanguageSwitch />
            <Link href="/account/password" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100" data-testid="change-password-link">
              {t("auth.changePassword")}
            </Link>
            <SignOutButton label={t("auth.signOut")} unsyncedWarning={t("auth.signOutUnsynced")} />
          </div>
        </div>
        <nav className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-4 pb-2 text-sm" aria-label="main">
          {items.map((item) =>
            item.href ? (
              <Link key={item.key} href={item.href} className="whitespace-nowrap rounded px-3 py-1.5 text-slate-700 hover:bg-blue-50 hover:text-blue-800">
                {t(item.key)}
              </Link>
            ) : (
              <span key={item.key} aria-disabled="true" title={t("nav.notYet")} className="cursor-not-allowed whitespace-nowrap rounded px-3 py-1.5 text-slate-400">
                {t(item.key)}
              </span>
            ),
          )}
        </nav>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
