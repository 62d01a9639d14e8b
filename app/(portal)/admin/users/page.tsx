import { forbidden } from "next/navigation";
import { ActionForm } from "@/components/ui/action-form";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { roleHas, ROLES } from "@/lib/policy";
import { changePostAction, createUserAction, resetPasswordAction, toggleUserAction, withdrawAccountRequestAction } from "@/lib/users/actions";
import { listRegionsForAdmin, listUsers } from "@/lib/users/queries";

const input = "rounded border border-slate-300 px-2 py-1 text-sm";

export default async function UsersPage() {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "admin:users")) forbidden();
  const [users, regions] = await Promise.all([listUsers(user), listRegionsForAdmin(user)]);
  const roleOptions = ROLES.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}` as TMessageKey)}
    </option>
  ));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("users.title")}</h1>
      <datalist id="region-codes">
        {regions.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
      </datalist>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">{t("users.create")}</h2>
        <ActionForm action={createUserAction} submitLabel={t("users.create")} okLabel={t("users.saved")} testId="create-user">
          <input name="login" placeholder={t("users.login")} className={input} required />
          <input name="realName" placeholder={t("users.realName")} className={input} required />
          <select name="role" className={input}>{roleOptions}</select>
          <input name="regionCode" list="region-codes" placeholder={t("users.region")} className={input} />
        </ActionForm>
      </section>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("users.login")}</th>
              <th className="px-3 py-2">{t("users.realName")}</th>
              <th className="px-3 py-2">{t("users.changePost")}</th>
              <th className="px-3 py-2">{t("users.resetPassword")}</th>
              <th className="px-3 py-2">{t("users.active")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100 align-top" data-testid={`user-${u.login}`}>
                <td className="px-3 py-2 font-mono">{u.login}</td>
                <td className="px-3 py-2">
                  {u.realName}
                  <div className="text-xs text-slate-500">{u.region?.name ?? ""}</div>
                  {u.pendingKind ? (
                    <div className="text-xs text-amber-700" data-testid="user-pending">
                      {t("users.pending")}: {t(`accounts.kind.${u.pendingKind}` as TMessageKey)}
                      <ActionForm action={withdrawAccountRequestAction} submitLabel={t("users.withdraw")}>
                        <input type="hidden" name="userId" value={u.id} />
                      </ActionForm>
                    </div>
                  ) : !u.confirmedAt ? (
                    <div className="text-xs text-slate-400">{t("users.unconfirmed")}</div>
                  ) : null}
                </td>
                <td className="px-3 py-2">
                  <ActionForm action={changePostAction} submitLabel={t("users.save")} okLabel={t("users.saved")}>
                    <input type="hidden" name="userId" value={u.id} />
                    <select name="role" defaultValue={u.role} className={input}>
                      {roleOptions}
                    </select>
                    <input name="regionCode" defaultValue={u.regionCode ?? ""} list="region-codes" className={`${input} w-36`} />
                  </ActionForm>
                </td>
                <td className="px-3 py-2">
                  <ActionForm action={resetPasswordAction} submitLabel={t("users.resetPassword")} okLabel={t("users.saved")}>
                    <input type="hidden" name="userId" value={u.id} />
                  </ActionForm>
                </td>
                <td className="px-3 py-2">
                  <ActionForm action={toggleUserAction} submitLabel={t("users.toggle")}>
                    <input type="hidden" name="userId" value={u.id} />
                    <span className={u.active ? "text-green-700" : "text-slate-400"}>{u.active ? t("users.enabled") : t("users.disabled")}</span>
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
