import { beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "@/lib/audit/log";
import { countAudit, listAudit, ZAuditFilter } from "@/lib/audit/queries";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The auditor's page (issue 11): search by user, person, action, region and time; paged; reading
// the log is itself audited; only the auditor reads it.

let users: Users;
const id = makeIdNumber("320402", "19700101", 5);

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  await writeAudit(users.qinglong, { action: "person.view", entity: "person", entityId: id, regionCode: "320402002001" });
  await writeAudit(users.tianning, { action: "task.approve", entity: "survey_task", entityId: "7", regionCode: "320402002001", detail: { idNumber: id, from: "STREET_APPROVED", to: "DISTRICT_APPROVED" } });
  await writeAudit(users.wuxing, { action: "registry.search", entity: "person", regionCode: "320404001", detail: { filters: { idNumber: id }, rows: 0 } });
  await writeAudit(users.hongmei, { action: "print.form", entity: "region", entityId: "320402004001", regionCode: "320402004001", detail: { idNumbers: [id] } });
  await writeAudit(users.qinglong, { action: "task.list", regionCode: "320402002", detail: { filters: {}, rows: 4 } });
});

const list = (f: Record<string, string>, page = 0) => listAudit(users.auditor, ZAuditFilter.parse(f), page);

describe("searching the audit log", () => {
  it("by user, by action, by region", async () => {
    expect((await list({ user: "qinglong" })).rows.map((r) => r.action).sort()).toEqual(["person.view", "task.list"]);
    expect((await list({ action: "task.approve" })).rows.map((r) => r.userLogin)).toEqual(["tianning"]);
    expect((await list({ region: "320404" })).rows.map((r) => r.userLogin)).toEqual(["wuxing"]);
  });
  it("by person: the entity, the detail's ID, a search for it and a printed batch with it", async () => {
    expect((await list({ person: id })).rows.map((r) => r.action).sort()).toEqual(["person.view", "print.form", "registry.search", "task.approve"]);
  });
  it("by time (China's days), and malformed filters are ignored rather than failing", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await list({ from: today, to: today, user: "tianning" })).total).toBe(1);
    expect((await list({ to: "2000-01-01", user: "tianning" })).total).toBe(0);
    expect(ZAuditFilter.parse({ from: "1e20", region: "abc", action: "DROP TABLE" })).toEqual({});
  });
  it("is paged with the total, and every read (and export count) is audited", async () => {
    const before = await prisma().auditLog.count({ where: { action: "audit.list", userId: users.auditor.id } });
    const { total } = await list({});
    expect(total).toBeGreaterThanOrEqual(5);
    expect(await countAudit(users.auditor, {})).toBeGreaterThanOrEqual(total);
    expect(await prisma().auditLog.count({ where: { action: "audit.list", userId: users.auditor.id } })).toBe(before + 1);
  });
  it("no one but the auditor reads it", async () => {
    for (const u of [users.admin, users.city, users.qinglong]) expect(await outcome(listAudit(u, {}, 0))).toBe("NotAllowedError");
  });
});
