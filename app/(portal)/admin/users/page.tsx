import { forbidden } from "next/navigation";
import Link from "next/link";
import { ExportLinks } from "@/components/lists/export-links";
import { RegionsProvider, RegionTreePicker } from "@/components/lists/region-tree-picker";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { levelLabels } from "@/lib/lists/labels";
import { oneOf, pageParam, regionParam, type Search, single, withQuery } from "@/lib/lists/url";
import { roleHas, ROLES } from "@/lib/policy";
import { changePostAction, createUserAction, disableUserAction, enableUserAction, resetPasswordAction, withdrawAccountRequestAction } from "@/lib/users/actions";
import { listUsersPage, USER_PAGE_SIZE, USER_STATES, type UserFilter } from "@/lib/users/list";
import { listRegionsForAdmin } from "@/lib/users/queries";

export const dynamic = "force-dynamic";

const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";

// 用户管理: create an account (region from the tree; input kept and fields marked on a failed
// submit), the accounts filtered by name, role, region and state, 20 a page, exported; per account:
// change the post (region from the tree), reset the password, enable or disable (two actions, each
// confirmed). Business steps take effect only once confirmed by a second person (/accounts).
export default async function UsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "admin:users")) forbidden();
  const sp = single(await searchParams);
  const filter: UserFilter = { q: sp.q?.trim().slice(0, 40) || undefined, role: oneOf(ROLES, sp.role), region: regionParam(sp.region), state: oneOf(USER_STATES, sp.state) };
  const page = pageParam(sp.page);
  const [{ rows: users, total }, regions] = await Promise.all([listUsersPage(user, filter, page), listRegionsForAdmin(user)]);
  const levels = levelLabels(t);
  const roleOptions = ROLES.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}` as TMessageKey)}
    </option>
  ));
  return (
    <RegionsProvider regions={regions}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("users.title")}</h1>
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-3 font-medium">{t("users.create")}</h2>
          <ActionForm action={createUserAction} submitLabel={t("users.create")} okLabel={t("users.createdDone")} testId="create-user" className="flex flex-wrap items-start gap-3">
            <Field name="login" label={t("users.login")}>
              <input name="login" className={input} autoComplete="off" maxLength={32} />
            </Field>
            <Field name="realName" label={t("users.realName")}>
              <input name="realName" className={input} maxLength={64} />
            </Field>
            <Field name="role" label={t("users.role")}>
              <select name="role" className={input} defaultValue="">
                <option value="">{t("users.choose")}</option>
                {roleOptions}
              </select>
            </Field>
            <Field name="regionCode" label={t("users.region")} hint={t("users.regionHint")} className="flex min-w-0 max-w-xl flex-col gap-1 text-sm">
              <RegionTreePicker name="regionCode" rootCode={null} anyLabel={t("users.choose")} levelLabels={levels} testId="create-user-region" />
            </Field>
          </ActionForm>
        </section>
        <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" data-testid="users-filter">
          <label className="flex flex-col">
            <span className="text-slate-600">{t("lists.users.search")}</span>
            <input name="q" defaultValue={filter.q ?? ""} maxLength={40} className={input} data-testid="users-search" />
          </label>
          <label className="flex flex-col">
            <span className="text-slate-600">{t("users.role")}</span>
            <select name="role" defaultValue={filter.role ?? ""} className={input}>
              <option value="">{t("lists.any")}</option>
              {roleOptions}
            </select>
          </label>
          <div className="flex min-w-0 flex-col">
            <span className="text-slate-600">{t("lists.users.region")}</span>
            <RegionTreePicker name="region" defaultValue={filter.region ?? ""} rootCode={null} anyLabel={t("lists.any")} levelLabels={levels} testId="users-region" />
          </div>
          <label className="flex flex-col">
            <span className="text-slate-600">{t("lists.users.state")}</span>
            <select name="state" defaultValue={filter.state ?? ""} className={input} data-testid="users-state">
              <option value="">{t("lists.any")}</option>
              {USER_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`lists.users.state.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">
            {t("lists.apply")}
          </button>
          <Link href="/admin/users" className="px-2 py-1.5 text-blue-700 hover:underline">
            {t("lists.clear")}
          </Link>
        </form>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Pager page={page} pageSize={USER_PAGE_SIZE} total={total} href={(p) => withQuery("/admin/users", { ...filter, page: p })} t={t} testId="users-pager" />
          <ExportLinks href={(format) => withQuery("/admin/users/export", { ...filter, format })} t={t} testId="users-export" />
        </div>
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
              {users.length === 0 && (
                <tr>
                  <td colSpan={5} className="px-3 py-4 text-slate-500">
                    {t("lists.noMatch")}
                  </td>
                </tr>
              )}
              {users.map((u) => (
                <tr key={u.id} className="border-t border-slate-100 align-top" data-testid={`user-${u.login}`}>
                  <td className="whitespace-nowrap px-3 py-2 font-mono">{u.login}</td>
                  <td className="min-w-[9rem] px-3 py-2">
                    {u.realName}
                    <div className="text-xs text-slate-500">
                      {t(`role.${u.role}` as TMessageKey)} · {u.regionName ?? "—"}
                    </div>
                    {u.pendingKind ? (
                      <div className="text-xs text-amber-700" data-testid="user-pending">
                        {t("users.pending")}: {t(`accounts.kind.${u.pendingKind}` as TMessageKey)}
                        <ActionForm action={withdrawAccountRequestAction} submitLabel={t("users.withdraw")} variant="secondary">
                          <input type="hidden" name="userId" value={u.id} />
                        </ActionForm>
                      </div>
                    ) : !u.confirmed ? (
                      <div className="text-xs text-slate-400">{t("users.unconfirmed")}</div>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <ActionForm action={changePostAction} submitLabel={t("users.save")} okLabel={t("users.saved")} keepOnSuccess testId={`post-${u.login}`}>
                      <input type="hidden" name="userId" value={u.id} />
                      <select name="role" defaultValue={u.role} className={input} aria-label={t("users.role")}>
                        {roleOptions}
                      </select>
                      <RegionTreePicker name="regionCode" defaultValue={u.regionCode ?? ""} rootCode={null} anyLabel={t("users.choose")} levelLabels={levels} testId={`post-${u.login}-region`} />
                    </ActionForm>
                  </td>
                  <td className="min-w-[7rem] whitespace-nowrap px-3 py-2">
                    <ActionForm action={resetPasswordAction} submitLabel={t("users.resetPassword")} okLabel={t("users.saved")} variant="secondary">
                      <input type="hidden" name="userId" value={u.id} />
                    </ActionForm>
                  </td>
                  <td className="px-3 py-2">
                    <span className={`mb-1 block ${u.active ? "text-green-700" : "text-slate-500"}`} data-testid="user-active">
                      {u.active ? t("users.enabled") : t("users.disabled")}
                    </span>
                    {u.id === user.id ? null : u.active ? (
                      <ActionForm action={disableUserAction} submitLabel={t("users.disable")} variant="danger" confirm={t("users.disableConfirm", { login: u.login, name: u.realName })} testId={`disable-${u.login}`}>
                        <input type="hidden" name="userId" value={u.id} />
                      </ActionForm>
                    ) : (
                      <ActionForm action={enableUserAction} submitLabel={t("users.enable")} confirm={t("users.enableConfirm", { login: u.login, name: u.realName })} testId={`enable-${u.login}`}>
                        <input type="hidden" name="userId" value={u.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </RegionsProvider>
  );
}
