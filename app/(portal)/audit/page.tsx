import Link from "next/link";
import { MessagePage } from "@/components/ui/message-page";
import { listAudit } from "@/lib/audit/queries";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { parsePage } from "@/lib/http/params";

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "audit:view")) return <MessagePage title={t("error.forbidden")} back={t("error.back")} />;
  const page = parsePage((await searchParams).page);
  const rows = await listAudit(user, page);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("audit.title")}</h1>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("audit.at")}</th>
              <th className="px-3 py-2">{t("audit.user")}</th>
              <th className="px-3 py-2">{t("audit.action")}</th>
              <th className="px-3 py-2">{t("audit.entity")}</th>
              <th className="px-3 py-2">{t("audit.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.id)} className="border-t border-slate-100">
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{r.at.toLocaleString("zh-CN")}</td>
                <td className="px-3 py-1.5">{r.userLogin ?? ""}</td>
                <td className="px-3 py-1.5 font-mono">{r.action}</td>
                <td className="px-3 py-1.5">{[r.entity, r.entityId].filter(Boolean).join(" ")}</td>
                <td className="max-w-md truncate px-3 py-1.5 font-mono text-xs text-slate-500">{r.detail ? JSON.stringify(r.detail) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex gap-3 text-sm">
        {page > 0 && <Link href={`/audit?page=${page - 1}`} className="text-blue-700 underline">{t("common.prev")}</Link>}
        {rows.length === 50 && <Link href={`/audit?page=${page + 1}`} className="text-blue-700 underline">{t("common.next")}</Link>}
      </div>
    </div>
  );
}
