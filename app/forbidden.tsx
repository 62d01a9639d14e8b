import Link from "next/link";
import { getT } from "@/lib/i18n/server";

// HTTP 403 outside the portal shell (print views): the role may not open this page.
export default async function Forbidden() {
  const t = await getT();
  return (
    <main className="mx-auto max-w-lg p-8">
      <div className="rounded-lg border border-amber-200 bg-amber-50 p-6" role="alert" data-testid="refusal">
        <p className="font-medium text-amber-900">{t("error.forbidden")}</p>
        <Link href="/" className="mt-3 inline-block text-sm text-blue-700 underline">
          {t("error.back")}
        </Link>
      </div>
    </main>
  );
}
