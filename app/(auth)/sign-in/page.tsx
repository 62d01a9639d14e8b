import { redirect } from "next/navigation";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { CHANGE_PASSWORD_PATH, resolveSession } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default async function SignInPage() {
  const session = await resolveSession();
  if (session) redirect(session.mustChangePassword ? CHANGE_PASSWORD_PATH : "/");
  const t = await getT();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow">
        <div className="mb-1 flex items-start justify-between gap-2">
          <h1 className="text-xl font-semibold">{t("app.title")}</h1>
          <LanguageSwitch />
        </div>
        <p className="mb-6 text-sm text-slate-500">{t("auth.welcome")}</p>
        <SignInForm labels={{ login: t("auth.login"), password: t("auth.password"), submit: t("auth.signIn"), failed: t("auth.failed"), locked: t("auth.locked") }} />
      </div>
    </main>
  );
}
