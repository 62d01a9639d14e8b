import Link from "next/link";
import { PrintButton } from "@/components/print/print-button";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import "./print.css";

export const dynamic = "force-dynamic";

// Print pages: outside the portal chrome, but only for a signed-in user (each page applies the policy).
export default async function PrintLayout({ children }: { children: React.ReactNode }) {
  await requireUser();
  const t = await getT();
  return (
    <div className="bg-slate-100 print:bg-white">
      <div className="no-print flex items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/" className="text-sm text-blue-700 underline">
          {t("error.back")}
        </Link>
        <PrintButton label={t("print.button")} />
      </div>
      {children}
    </div>
  );
}
