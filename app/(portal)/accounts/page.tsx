import { forbidden } from "next/navigation";
import { ActionForm } from "@/components/ui/action-form";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { confirmAccountRequestAction, refuseAccountRequestAction } from "@/lib/users/actions";
import { listPendingAccountRequests } from "@/lib/users/requests";

// Account steps the administrator requested for posts below the user's (lib/users/requests.ts),
// scoped in the query: a district reviewer sees its district's street posts, and so on.
export default async function AccountRequestsPage() {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "account:confirm")) forbidden();
  const requests = await listPendingAccountRequests(user);
  const post = (role: string, regionName: string | null | undefined, regionCode: string | null) => `${t(`role.${role}` as TMessageKey)} · ${regionName ?? regionCode ?? ""}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("accounts.title")}</h1>
      <p className="text-sm text-slate-600">{t("accounts.intro")}</p>
      {requests.length === 0 ? (
        <p className="text-slate-500" data-testid="accounts-none">
          {t("accounts.none")}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="account-requests">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("accounts.kind")}</th>
                <th className="px-3 py-2">{t("accounts.user")}</th>
                <th className="px-3 py-2">{t("accounts.post")}</th>
                <th className="px-3 py-2">{t("accounts.requestedAt")}</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} className="border-t border-slate-100 align-top" data-testid={`account-request-${r.user.login}`}>
                  <td className="px-3 py-2">{t(`accounts.kind.${r.kind}` as TMessageKey)}</td>
                  <td className="px-3 py-2">
                    <span className="font-mono">{r.user.login}</span> {r.user.realName}
                  </td>
                  <td className="px-3 py-2">
                    {r.kind === "CHANGE_POST" ? (
                      <>
                        <div className="text-slate-500 line-through">{post(r.user.role, r.user.region?.name, r.user.regionCode)}</div>
                        <div>{post(r.role, r.regionName, r.regionCode)}</div>
                      </>
                    ) : (
                      post(r.role, r.regionName, r.regionCode)
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{r.requestedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                  <td className="px-3 py-2">
                    <div className="flex flex-col gap-2">
                      <ActionForm action={confirmAccountRequestAction} submitLabel={t("accounts.confirm")} testId={`confirm-${r.user.login}`}>
                        <input type="hidden" name="requestId" value={r.id} />
                      </ActionForm>
                      <ActionForm action={refuseAccountRequestAction} submitLabel={t("accounts.refuse")} okLabel={t("accounts.refused")}>
                        <input type="hidden" name="requestId" value={r.id} />
                      </ActionForm>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
