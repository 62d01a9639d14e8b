import Link from "next/link";
import { redirect } from "next/navigation";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { resolveSession } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";

// Self-service password change (seed 003 第二十条), and the change a session is held to after a
// reset or at the first sign-in: such a session reaches no other page or action until it is done.
export default async function ChangePasswordPage() {
  const session = await resolveSession();
  if (!session) redirect("/sign-in");
  const t = await getT();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow">
        <div className="mb-1 flex items-start justify-between gap-2">
          <h1 className="text-xl font-semibold">{t("password.title")}</h1>
          <LanguageSwitch />
        </div>
        <p className="mb-2 text-sm text-slate-500" data-testid="password-user">
          {session.realName} · {session.login}
        </p>
        {session.mustChangePassword ? (
          <p className="mb-4 rounded border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900" data-testid="password-forced">
            {t("password.forced")}
          </p>
        ) : null}
        <p className="mb-4 text-xs text-slate-500">{t("password.rules")}</p>
        <ChangePasswordForm
          login={session.login}
          labels={{ current: t("password.current"), next: t("password.new"), confirm: t("password.confirm"), submit: t("password.submit"), changed: t("password.changed") }}
        />
        {session.mustChangePassword ? null : (
          <Link href="/" className="mt-4 inline-block text-sm text-blue-700 underline">
            {t("password.back")}
          </Link>
        )}
      </div>
    </main>
  );
}
