import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { oneOf, regionParam, single } from "@/lib/lists/url";
import { can, ROLES } from "@/lib/policy";
import { allUsers, USER_STATES, type UserFilter } from "@/lib/users/list";

// GET /admin/users/export?q=…&role=…&region=…&state=…&format=xlsx|csv: the accounts of /admin/users
// with the page's filters, every page; labels, with the codes in `_code` columns.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "admin:users")) return new Response("forbidden", { status: 403 });
  const sp = single(Object.fromEntries(new URL(request.url).searchParams));
  const filter: UserFilter = { q: sp.q?.trim().slice(0, 40) || undefined, role: oneOf(ROLES, sp.role), region: regionParam(sp.region), state: oneOf(USER_STATES, sp.state) };
  const format = exportFormat(sp.format);
  const rows = await allUsers(user, filter);
  await writeAudit(user, { action: "user.export", entity: "user", detail: { format, filters: filter, rows: rows.length } });
  const t = translator(await getLocale());
  const state = (u: (typeof rows)[number]) => (!u.active ? "disabled" : u.pendingKind ? "pending" : !u.confirmed ? "unconfirmed" : "active");
  return tableExportResponse({
    format,
    filename: t("users.title"),
    sheetName: t("users.title"),
    header: [t("users.login"), t("users.realName"), t("users.role"), "role_code", t("users.region"), "region_code", t("lists.users.state"), "state_code"],
    rows: rows.map((u) => [u.login, u.realName, t(`role.${u.role}` as TMessageKey), u.role, u.regionName ?? "", u.regionCode ?? "", t(`lists.users.state.${state(u)}`), state(u)]),
  });
}
