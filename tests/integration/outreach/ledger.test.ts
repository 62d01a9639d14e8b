import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runComparison } from "@/lib/comparison/run";
import { recordContact } from "@/lib/outreach/mutations";
import { enrolledByCommunity, getEntry, ledgerPage, ledgerSummary, openLedger } from "@/lib/outreach/queries";
import { todayCst, ZContact } from "@/lib/outreach/schema";
import { settleOutreach } from "@/lib/outreach/settle";
import { type Actor, NotFoundError } from "@/lib/policy";
import { freshDatabase } from "../../helpers/db";
import { COMMUNITY_A, COMMUNITY_B, COMMUNITY_C, db, enrolment, newId, population, resident, seedRegions } from "../comparison/fixture";

// The outreach ledger's lifecycle (statistics.md §5): a comparison puts the not (fully) insured in
// the ledger of their community; staff record contacts; a later run over new enrolment data finds
// a person's missing schemes active and they leave the ledger as enrolled, moving the counts. And
// the ledger is scoped: a community sees only its own persons, a sibling's entry is "not found".

const city: Actor = { id: 1, login: "city", role: "CITY_STAFF", regionCode: "3204" };
const district: Actor = { id: 2, login: "tianning", role: "DISTRICT_REVIEWER", regionCode: "320402" };
const surveyorA: Actor = { id: 3, login: "surveyor1", role: "COMMUNITY_SURVEYOR", regionCode: COMMUNITY_A };
const surveyorB: Actor = { id: 4, login: "surveyor2", role: "COMMUNITY_SURVEYOR", regionCode: COMMUNITY_B };

let c: pg.Client;
let run1: number;
let run2: number;
const a = newId("19800101"); // A: nothing active → NOT_INSURED (170, 390 missing)
const b = newId("19800101"); // B: 390 only → PARTIAL (170 missing)
const e = newId("19800101"); // A: 390 active, 170 suspended → INTERRUPTED
const d = newId("19800101"); // A: fully insured → not in the ledger
const g = newId("19800101"); // C: nothing active, another district
const h = newId("19800101", "1"); // A: gender mismatch → INFO_ERROR (not a ledger category) until a survey says not insured

async function entryOf(id: string, status = "OPEN"): Promise<number> {
  const { rows } = await c.query<{ id: number }>(`SELECT id FROM outreach_entry WHERE id_number = $1 AND status = $2`, [id, status]);
  return rows[0]?.id;
}

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
  await population(c, [
    { id: a, hukou: COMMUNITY_A, phone: "13812345678" },
    { id: b, hukou: COMMUNITY_B, phone: "13900000001" },
    { id: e, hukou: COMMUNITY_A },
    { id: d, hukou: COMMUNITY_A },
    { id: g, hukou: COMMUNITY_C },
    { id: h, hukou: COMMUNITY_A, gender: "2" },
  ]);
  await enrolment(c, [{ id: b, scheme: "390" }, { id: e, scheme: "390" }, { id: e, scheme: "170", status: 2 }, ...resident(d)]);
  run1 = (await runComparison({ asOf: "2026-11-25" })).runId;
});
afterAll(async () => c.end());

describe("the outreach ledger", () => {
  it("a run puts the NOT_INSURED, PARTIAL and INTERRUPTED persons in, with what they lack", async () => {
    const { rows, total } = await ledgerPage(city, {}, 0);
    expect(total).toBe(4);
    expect(new Set(rows.map((r) => r.idNumber))).toEqual(new Set([a, b, e, g]));
    const ra = rows.find((r) => r.idNumber === a)!;
    expect(ra.category).toBe("NOT_INSURED");
    expect(ra.missingSchemes.sort()).toEqual(["170", "390"]);
    expect(ra.regionCode).toBe(COMMUNITY_A);
    const re = rows.find((r) => r.idNumber === e)!;
    expect(re.category).toBe("INTERRUPTED");
    expect(re.interruptedSchemes).toEqual(["170"]);
    // city posts see contact data masked; the community's surveyor in full
    expect(ra.phone).toBe("138****5678");
    expect(ra.shownId).not.toBe(a);
    const mine = await ledgerPage(surveyorA, {}, 0);
    expect(mine.rows.find((r) => r.idNumber === a)!.phone).toBe("13812345678");
    expect(mine.rows.find((r) => r.idNumber === a)!.shownId).toBe(a);
  });

  it("a community surveyor sees only their community; a sibling community's entry is not found", async () => {
    expect(new Set((await ledgerPage(surveyorA, {}, 0)).rows.map((r) => r.idNumber))).toEqual(new Set([a, e]));
    expect((await ledgerPage(surveyorB, {}, 0)).rows.map((r) => r.idNumber)).toEqual([b]);
    expect((await ledgerPage(district, {}, 0)).total).toBe(3);
    await expect(getEntry(surveyorA, await entryOf(b))).rejects.toBeInstanceOf(NotFoundError);
    await expect(ledgerPage(surveyorA, { region: COMMUNITY_B }, 0)).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordContact(surveyorA, ZContact.parse({ entryId: await entryOf(b), contactedOn: "2026-11-26", channel: "PHONE", outcome: "REFUSES" }))).rejects.toBeInstanceOf(NotFoundError);
    expect((await getEntry(surveyorB, await entryOf(b))).idNumber).toBe(b);
  });

  it("searches by name and part of an ID", async () => {
    expect((await ledgerPage(city, { q: a.slice(10, 16) }, 0)).rows.map((r) => r.idNumber)).toContain(a);
    expect((await ledgerPage(city, { q: "张" }, 0)).total).toBe(4);
    expect((await ledgerPage(city, { q: "李" }, 0)).total).toBe(0);
  });

  it("opening a page with contact data is audited with its filter and row count", async () => {
    await openLedger(surveyorA, { q: "张" }, 0, "view");
    const { rows } = await c.query<{ user_login: string; detail: { q: string; rows: number } }>(`SELECT user_login, detail FROM audit_log WHERE action = 'outreach.view' ORDER BY id DESC LIMIT 1`);
    expect(rows[0].user_login).toBe("surveyor1");
    expect(rows[0].detail.q).toBe("张");
    expect(rows[0].detail.rows).toBe(2);
  });

  it("contact form errors are Chinese catalogue keys per field", () => {
    const fields = (input: Record<string, string>) => Object.fromEntries(ZContact.safeParse(input).error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(fields({ entryId: "1", contactedOn: "2026-11-26", channel: "FAX", outcome: "" })).toEqual({ channel: "msg:outreach.err.channel", outcome: "msg:outreach.err.outcome" });
    expect(fields({ entryId: "1", contactedOn: "2026-02-30", channel: "PHONE", outcome: "REFUSES" })).toEqual({ contactedOn: "msg:outreach.err.date" });
    expect(fields({ entryId: "1", contactedOn: "2026-11-26", channel: "PHONE", outcome: "WILL_ENROL", promisedOn: "" })).toEqual({ promisedOn: "msg:outreach.err.promisedRequired" });
    expect(fields({ entryId: "1", contactedOn: "2999-01-01", channel: "PHONE", outcome: "REFUSES" })).toEqual({ contactedOn: "msg:outreach.err.contactedFuture" });
    expect(ZContact.safeParse({ entryId: "1", contactedOn: "2026-11-26", channel: "PHONE", outcome: "WILL_ENROL", promisedOn: "2026-11-20" }).error!.issues[0].message).toBe("msg:outreach.err.promisedBefore");
  });

  it("contacts are recorded and audited; a passed promise is listed as overdue", async () => {
    const id = await entryOf(a);
    await recordContact(surveyorA, ZContact.parse({ entryId: String(id), contactedOn: "2026-11-01", channel: "PHONE", outcome: "UNREACHABLE" }));
    await recordContact(surveyorA, ZContact.parse({ entryId: String(id), contactedOn: "2026-11-02", channel: "VISIT", outcome: "WILL_ENROL", promisedOn: "2026-11-10", note: "下月缴费" }));
    const entry = await getEntry(surveyorA, id);
    expect(entry.contactList.map((x) => x.outcome)).toEqual(["WILL_ENROL", "UNREACHABLE"]);
    expect(entry.promisedOn).toBe("2026-11-10");
    expect("2026-11-10" < todayCst()).toBe(true);
    expect((await ledgerPage(surveyorA, { overdue: true }, 0)).rows.map((r) => r.idNumber)).toEqual([a]);
    expect((await ledgerSummary(surveyorA)).overdue).toBe(1);
    const audit = await c.query(`SELECT 1 FROM audit_log WHERE action = 'outreach.contact' AND entity_id = $1`, [String(id)]);
    expect(audit.rowCount).toBe(2);
  });

  it("a later run over new enrolment data settles the person as enrolled and moves the counts", async () => {
    const before = await ledgerSummary(city);
    expect(before).toMatchObject({ entries: 4, open: 4, enrolled: 0, conversion: 0 });
    // an additional enrolment file: a now has 170 and 390 active
    await enrolment(c, resident(a));
    run2 = (await runComparison({ asOf: "2026-12-01" })).runId;
    expect(await entryOf(a)).toBeUndefined();
    const enrolledId = await entryOf(a, "ENROLLED");
    expect(enrolledId).toBeDefined();
    const settled = await c.query<{ settled_run_id: number }>(`SELECT settled_run_id FROM outreach_entry WHERE id = $1`, [enrolledId]);
    expect(settled.rows[0].settled_run_id).toBe(run2);
    // gone from the open list, and from the overdue promises; found under "enrolled" with its contacts
    expect(new Set((await ledgerPage(surveyorA, {}, 0)).rows.map((r) => r.idNumber))).toEqual(new Set([e]));
    expect((await ledgerPage(surveyorA, { overdue: true }, 0)).total).toBe(0);
    expect((await ledgerPage(surveyorA, { status: "ENROLLED" }, 0)).rows.map((r) => r.idNumber)).toEqual([a]);
    expect((await getEntry(surveyorA, enrolledId)).contactList).toHaveLength(2);
    // the others stay in (no new entry), with the new run's view of them
    const { rows } = await c.query<{ n: number; last: number }>(`SELECT count(*)::int AS n, min(last_run_id) AS last FROM outreach_entry WHERE status = 'OPEN'`);
    expect(rows[0]).toEqual({ n: 3, last: run2 });
    const after = await ledgerSummary(city);
    expect(after).toMatchObject({ entries: 4, open: 3, enrolled: 1, conversion: 0.25 });
    expect(await ledgerSummary(surveyorA)).toMatchObject({ entries: 2, enrolled: 1, conversion: 0.5, overdue: 0 });
    expect(await ledgerSummary(surveyorB)).toMatchObject({ entries: 1, enrolled: 0 });
    expect(await enrolledByCommunity(city)).toEqual([{ regionCode: COMMUNITY_A, regionName: "甲社区", month: "2026-12", enrolled: 1, entries: 2 }]);
    expect(await enrolledByCommunity(surveyorB)).toEqual([]);
  });

  it("settling is idempotent and never goes back to an older run", async () => {
    expect(await settleOutreach(c, run2)).toBe(false);
    expect(await settleOutreach(c, run1)).toBe(false);
    expect((await ledgerSummary(city)).entries).toBe(4);
  });

  it("a settled entry takes no more contacts; a person still missing part of S keeps one open entry", async () => {
    await expect(recordContact(surveyorA, ZContact.parse({ entryId: String(await entryOf(a, "ENROLLED")), contactedOn: "2026-12-01", channel: "SMS", outcome: "REFUSES" }))).rejects.toThrow("outreach.err.notOpen");
    // b's 390 record is retired: still PARTIAL and now also missing 390 → stays open, not re-entered
    await c.query(`UPDATE import_batch SET status = 'RETIRED' WHERE id = (SELECT min(batch_id) FROM enrolment_record WHERE id_number = $1)`, [b]);
    const run3 = (await runComparison({ asOf: "2026-12-02" })).runId;
    const bEntries = await c.query<{ status: string; run_id: number; missing_schemes: string[] }>(`SELECT status, run_id, missing_schemes FROM outreach_entry WHERE id_number = $1`, [b]);
    expect(bEntries.rows).toHaveLength(1);
    expect(bEntries.rows[0].missing_schemes.sort()).toEqual(["170", "390"]);
    // the retired batch also held e's records: e is now NOT_INSURED, still open
    expect((await c.query(`SELECT 1 FROM outreach_entry WHERE id_number = $1 AND status = 'OPEN' AND last_run_id = $2`, [e, run3])).rowCount).toBe(1);
  });

  it("a person whose approved survey says they are still not insured enters from the survey, with its reason", async () => {
    expect((await ledgerPage(city, { q: h }, 0)).total).toBe(0);
    const task = (await c.query<{ id: number }>(`SELECT id FROM survey_task WHERE id_number = $1`, [h])).rows[0];
    expect(task).toBeDefined();
    await c.query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = $1`, [task.id]);
    await c.query(`INSERT INTO survey_form (task_id, data) VALUES ($1, $2)`, [task.id, JSON.stringify({ pension: "NONE", medical: "RESIDENT", reasons: ["CANNOT_AFFORD"] })]);
    await runComparison({ asOf: "2026-12-02" });
    const [row] = (await ledgerPage(surveyorA, { q: h }, 0)).rows;
    expect(row).toMatchObject({ idNumber: h, source: "SURVEY", category: "INFO_ERROR", reasons: ["CANNOT_AFFORD"] });
    expect(row.missingSchemes.length).toBeGreaterThan(0);
  });
});
