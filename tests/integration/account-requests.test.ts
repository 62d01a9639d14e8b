import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { signInAttempt } from "@/lib/auth/options";
import { resolveSessionToken } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { type Actor, NotAllowedError, NotFoundError, type TRole } from "@/lib/policy";
import { changePost, createUser, resetPassword, withdrawAccountRequest } from "@/lib/users/mutations";
import { confirmAccountRequest, confirmAccountRequestBootstrap, listPendingAccountRequests, refuseAccountRequest } from "@/lib/users/requests";
import { freshDatabase } from "../helpers/db";

// Issue 11, finding 1: no single administrator reaches personal data. A business account, a change
// of post and a password reset of a business account take effect only when a business user at the
// level above confirms; the administrator never holds a post and never learns a business password.

const PASSWORD = "Known-pass-2026";
const actors = new Map<string, Actor>();
const actor = (login: string) => actors.get(login)!;
let address = 0;
const signIn = (login: string, password: string) => signInAttempt(login, password, `10.1.0.${++address % 250}`);

async function pendingId(login: string): Promise<number> {
  const r = await prisma().accountRequest.findFirstOrThrow({ where: { state: "PENDING", user: { login } } });
  return r.id;
}

beforeAll(async () => {
  await freshDatabase();
  await prisma().region.createMany({
    data: [
      { code: "3204", name: "常州市", level: "CITY" },
      { code: "320402", name: "天宁区", level: "DISTRICT", parentCode: "3204" },
      { code: "320404", name: "钟楼区", level: "DISTRICT", parentCode: "3204" },
      { code: "320411", name: "新北区", level: "DISTRICT", parentCode: "3204" },
      { code: "320402002", name: "青龙街道", level: "STREET", parentCode: "320402" },
      { code: "320404001", name: "五星街道", level: "STREET", parentCode: "320404" },
      { code: "320411001", name: "河海街道", level: "STREET", parentCode: "320411" },
      { code: "320402002001", name: "一社区", level: "COMMUNITY", parentCode: "320402002" },
      { code: "320404001001", name: "二社区", level: "COMMUNITY", parentCode: "320404001" },
    ],
  });
  const passwordHash = await bcrypt.hash(PASSWORD, 4);
  const users: [string, TRole, string | null][] = [
    ["admin", "SYSTEM_ADMIN", null],
    ["city", "CITY_STAFF", "3204"],
    ["city2", "CITY_STAFF", "3204"],
    ["tianning", "DISTRICT_REVIEWER", "320402"],
    ["zhonglou", "DISTRICT_REVIEWER", "320404"],
    ["qinglong", "STREET_CLERK", "320402002"],
    ["wuxing", "STREET_CLERK", "320404001"],
    ["surveyor", "COMMUNITY_SURVEYOR", "320402002001"],
  ];
  for (const [login, role, regionCode] of users) {
    const u = await prisma().user.create({ data: { login, realName: login, passwordHash, role, regionCode, confirmedAt: new Date(), posts: { create: { role, regionCode } } } });
    actors.set(login, { id: u.id, login, role, regionCode });
  }
});

describe("a business account created by the administrator", () => {
  it("cannot sign in until city staff confirm it; the confirmer, not the admin, gets its one-time password", async () => {
    const created = await createUser(actor("admin"), { login: "mole", realName: "内鬼", role: "CITY_STAFF", regionCode: "3204" });
    expect(created.pending).toBe(true);
    expect("oneTimePassword" in created).toBe(false);
    const user = await prisma().user.findUniqueOrThrow({ where: { login: "mole" } });
    expect(user.confirmedAt).toBeNull();
    // No password the admin could know works; not even a guess at the usual ones.
    for (const guess of [PASSWORD, "demo1234", "mole"]) expect(await signIn("mole", guess)).toBeNull();

    // Wrong level or region: not found. The administrator holds no right to confirm at all.
    const id = await pendingId("mole");
    await expect(confirmAccountRequest(actor("tianning"), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmAccountRequest(actor("qinglong"), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmAccountRequest(actor("admin"), id)).rejects.toBeInstanceOf(NotAllowedError);
    expect((await listPendingAccountRequests(actor("tianning"))).map((r) => r.id)).not.toContain(id);
    expect((await listPendingAccountRequests(actor("city"))).map((r) => r.id)).toContain(id);

    const confirmed = await confirmAccountRequest(actor("city"), id);
    expect(confirmed.oneTimePassword).toMatch(/^.{12}$/);
    const signedIn = await signIn("mole", confirmed.oneTimePassword!);
    expect(signedIn).not.toBeNull();
    const session = await resolveSessionToken({ uid: signedIn!.id, sv: signedIn!.sessionVersion });
    expect(session).toMatchObject({ login: "mole", role: "CITY_STAFF", mustChangePassword: true });

    const audit = await prisma().auditLog.findMany({ where: { entity: "user", entityId: String(user.id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.userLogin])).toEqual([
      ["user.request-create", "admin"],
      ["user.confirm-request", "city"],
    ]);
  });

  it("a street post is confirmed by its district only; a community post by its street only", async () => {
    await createUser(actor("admin"), { login: "clerk2", realName: "新经办", role: "STREET_CLERK", regionCode: "320402002" });
    const street = await pendingId("clerk2");
    await expect(confirmAccountRequest(actor("zhonglou"), street)).rejects.toBeInstanceOf(NotFoundError); // other district
    await expect(confirmAccountRequest(actor("city"), street)).rejects.toBeInstanceOf(NotFoundError); // not the level above
    await expect(confirmAccountRequest(actor("qinglong"), street)).rejects.toBeInstanceOf(NotFoundError); // same level
    expect((await confirmAccountRequest(actor("tianning"), street)).oneTimePassword).toBeTruthy();

    await createUser(actor("admin"), { login: "surveyor9", realName: "新调查员", role: "COMMUNITY_SURVEYOR", regionCode: "320402002001" });
    const community = await pendingId("surveyor9");
    await expect(confirmAccountRequest(actor("wuxing"), community)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmAccountRequest(actor("tianning"), community)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmAccountRequest(actor("surveyor"), community)).rejects.toBeInstanceOf(NotAllowedError);
    expect((await confirmAccountRequest(actor("qinglong"), community)).oneTimePassword).toBeTruthy();
  });

  it("a refused account stays unusable, and a decided request cannot be decided again", async () => {
    await createUser(actor("admin"), { login: "refused", realName: "拒绝", role: "DISTRICT_REVIEWER", regionCode: "320404" });
    const id = await pendingId("refused");
    await refuseAccountRequest(actor("city2"), id);
    await expect(confirmAccountRequest(actor("city"), id)).rejects.toBeInstanceOf(NotFoundError);
    const user = await prisma().user.findUniqueOrThrow({ where: { login: "refused" } });
    expect(user).toMatchObject({ active: false, confirmedAt: null });
    expect(await prisma().auditLog.count({ where: { action: "user.refuse-request", entityId: String(user.id) } })).toBe(1);
  });
});

describe("a pending request withdrawn by the administrator", () => {
  it("leaves the account as it was, and nobody can confirm it any more", async () => {
    await changePost(actor("admin"), { userId: actor("wuxing").id, role: "STREET_CLERK", regionCode: "320402002" });
    const id = await pendingId("wuxing");
    await withdrawAccountRequest(actor("admin"), actor("wuxing").id);
    await expect(confirmAccountRequest(actor("tianning"), id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: actor("wuxing").id } })).toMatchObject({ regionCode: "320404001" });
    expect(await prisma().auditLog.count({ where: { action: "user.withdraw-request", entityId: String(actor("wuxing").id) } })).toBe(1);
  });
});

describe("a change of post", () => {
  it("does not change the post until the new post's confirmer confirms; then the old session ends", async () => {
    const token = { uid: actor("qinglong").id, sv: (await signIn("qinglong", PASSWORD))!.sessionVersion };
    const result = await changePost(actor("admin"), { userId: actor("qinglong").id, role: "STREET_CLERK", regionCode: "320404001" });
    expect(result.pending).toBe(true);
    expect(await resolveSessionToken(token)).toMatchObject({ regionCode: "320402002" });
    // One pending step per account.
    await expect(resetPassword(actor("admin"), actor("qinglong").id)).rejects.toMatchObject({ key: "users.pendingRequest" });

    const id = await pendingId("qinglong");
    await expect(confirmAccountRequest(actor("tianning"), id)).rejects.toBeInstanceOf(NotFoundError); // the new post is in 钟楼区
    expect((await confirmAccountRequest(actor("zhonglou"), id)).oneTimePassword).toBeNull();
    expect(await prisma().user.findUniqueOrThrow({ where: { id: actor("qinglong").id } })).toMatchObject({ regionCode: "320404001" });
    expect(await resolveSessionToken(token)).toBeNull();
    const posts = await prisma().userPost.findMany({ where: { userId: actor("qinglong").id }, orderBy: { id: "asc" } });
    expect(posts.map((p) => [p.regionCode, p.endedAt === null])).toEqual([
      ["320402002", false],
      ["320404001", true],
    ]);
    expect(await prisma().auditLog.count({ where: { action: { in: ["user.request-post", "user.confirm-request"] }, entityId: String(actor("qinglong").id) } })).toBe(2);
  });

  it("the administrator never holds a post, and no business account becomes an administrator", async () => {
    await expect(changePost(actor("admin"), { userId: actor("admin").id, role: "CITY_STAFF", regionCode: "3204" })).rejects.toMatchObject({ key: "users.adminNoPost" });
    await expect(changePost(actor("admin"), { userId: actor("city").id, role: "SYSTEM_ADMIN", regionCode: null })).rejects.toMatchObject({ key: "users.adminNoPost" });
    const other = await createUser(actor("admin"), { login: "admin2", realName: "管理员二", role: "SYSTEM_ADMIN", regionCode: null });
    expect(other.pending).toBe(false);
    await expect(changePost(actor("admin"), { userId: other.userId, role: "CITY_STAFF", regionCode: "3204" })).rejects.toMatchObject({ key: "users.adminNoPost" });
  });
});

describe("a password reset of a business account", () => {
  it("keeps the old password until confirmed; city staff cannot confirm their own reset; then the old password and session end", async () => {
    const before = await signIn("city", PASSWORD);
    const token = { uid: before!.id, sv: before!.sessionVersion };
    const result = await resetPassword(actor("admin"), actor("city").id);
    expect(result.pending).toBe(true);
    expect(await signIn("city", PASSWORD)).not.toBeNull();

    const id = await pendingId("city");
    await expect(confirmAccountRequest(actor("city"), id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listPendingAccountRequests(actor("city"))).map((r) => r.id)).not.toContain(id);
    const confirmed = await confirmAccountRequest(actor("city2"), id);
    expect(await signIn("city", PASSWORD)).toBeNull();
    expect(await resolveSessionToken(token)).toBeNull();
    const after = await signIn("city", confirmed.oneTimePassword!);
    expect(await resolveSessionToken({ uid: after!.id, sv: after!.sessionVersion })).toMatchObject({ mustChangePassword: true });
  });

  it("an administrator account is reset at once, with a one-time password for the administrator", async () => {
    const result = await resetPassword(actor("admin"), actor("admin").id);
    expect(result.pending).toBe(false);
    if (result.pending) return;
    expect(await signIn("admin", result.oneTimePassword)).not.toBeNull();
  });
});

describe("bootstrap through the CLI", () => {
  it("confirms only a request no portal account can confirm", async () => {
    await createUser(actor("admin"), { login: "heshan", realName: "河海街道", role: "STREET_CLERK", regionCode: "320411001" });
    const id = await pendingId("heshan");
    expect(await listPendingAccountRequests(actor("tianning"))).not.toContainEqual(expect.objectContaining({ id }));
    const confirmed = await confirmAccountRequestBootstrap(id);
    expect(confirmed.oneTimePassword).toBeTruthy();
    expect(await prisma().auditLog.count({ where: { action: "user.confirm-request", userId: null, entityId: String((await prisma().user.findUniqueOrThrow({ where: { login: "heshan" } })).id) } })).toBe(1);

    await createUser(actor("admin"), { login: "clerk3", realName: "有上级", role: "STREET_CLERK", regionCode: "320402002" });
    await expect(confirmAccountRequestBootstrap(await pendingId("clerk3"))).rejects.toMatchObject({ key: "users.confirmerExists" });
  });
});
