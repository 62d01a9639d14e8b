import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { translator, zh } from "@/lib/i18n/messages";
import { makeIdNumber } from "@/lib/ids/id-number";
import { surveyDataEntries, valueLabel } from "@/lib/registry/labels";
import { reviewTask } from "@/lib/review/mutations";
import { createTeam, saveDraft, submitForm } from "@/lib/survey/mutations";
import { surveyList } from "@/lib/survey/queries";
import { fieldErrorKeys, parseDraft, ZNewPerson, ZSurveyForm } from "@/lib/survey/schema";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The registration form as the seeds print it (issue 13): the mobile number is optional when the
// person has none (a reason instead; a deceased person can be submitted), pension and medical take
// several answers (a duplicate enrolment), every field in error has its own message; and the
// surveyor's list in tabs, searched by part of a name or ID, paged.

const t = translator("zh");
const BASE = { employment: "FLEXIBLE", mobile: "13912345678", pension: ["RESIDENT"], medical: ["RESIDENT"], surveyors: ["张洋", "徐艳"] };

function errors(input: unknown): Record<string, string> {
  const r = ZSurveyForm.safeParse(input);
  return r.success ? {} : fieldErrorKeys(r.error);
}

describe("the form's schema", () => {
  it("an empty form names every field to fill at once, each with its own message (never 必填 / 格式不正确)", () => {
    const e = errors({ surveyors: [] });
    expect(e).toEqual({
      employment: "survey.err.employment",
      mobile: "survey.err.mobileOrReason",
      pension: "survey.err.pension",
      medical: "survey.err.medical",
      surveyors: "survey.err.surveyors",
    });
    for (const key of Object.values(e)) {
      expect(key in zh, key).toBe(true);
      expect(["必填", "格式不正确"]).not.toContain(t(key as never));
    }
    expect(t("survey.err.mobileOrReason")).toContain("手机号码");
  });

  it("a field that fails its own check does not hide the others", () => {
    const e = errors({ ...BASE, employment: undefined, mobile: "12345", pension: [] });
    expect(e).toMatchObject({ mobile: "survey.err.mobile", employment: "survey.err.employment", pension: "survey.err.pension" });
  });

  it("too long a text names the field and its limit", () => {
    expect(errors({ ...BASE, employment: "EMPLOYED", unitName: "厂".repeat(101) })).toEqual({ unitName: "survey.err.long.unitName" });
    expect(t("survey.err.long.unitName")).toBe("单位全称最多 100 个字");
    expect(errors({ ...BASE, employment: "EMPLOYED" })).toEqual({ unitName: "survey.err.unitName" });
  });

  it("mobile: optional with a reason instead; not both; 'other' needs its note", () => {
    expect(ZSurveyForm.safeParse({ ...BASE, mobile: undefined, noMobileReason: "NO_PHONE" }).success).toBe(true);
    expect(ZSurveyForm.safeParse({ ...BASE, mobile: "", noMobileReason: "NO_PHONE" }).success).toBe(true);
    expect(errors({ ...BASE, noMobileReason: "NO_PHONE" })).toEqual({ noMobileReason: "survey.err.mobileAndReason" });
    expect(errors({ ...BASE, mobile: undefined, noMobileReason: "OTHER" })).toEqual({ noMobileNote: "survey.err.noMobileNote" });
    expect(ZSurveyForm.safeParse({ ...BASE, mobile: undefined, noMobileReason: "OTHER", noMobileNote: "手机丢失" }).success).toBe(true);
    expect(errors({ ...BASE, mobile: undefined, noMobileReason: "FAX" })).toEqual({ noMobileReason: "survey.err.noMobileReason" });
  });

  it("a deceased person is submitted without mobile and without employment", () => {
    const r = ZSurveyForm.safeParse({ noMobileReason: "DECEASED", pension: ["NONE"], medical: ["NONE"], reasons: ["DECEASED"], surveyors: ["张洋", "徐艳"] });
    expect(r.success).toBe(true);
    // alive: employment is still asked
    expect(errors({ noMobileReason: "NO_PHONE", pension: ["NONE"], medical: ["NONE"], reasons: ["CANNOT_AFFORD"], surveyors: ["张洋", "徐艳"] })).toEqual({ employment: "survey.err.employment" });
  });

  it("pension and medical take several answers (a duplicate enrolment); 'none' stands alone; a reason when none", () => {
    const r = ZSurveyForm.parse({ ...BASE, pension: ["EMPLOYEE", "RESIDENT", "EMPLOYEE"], medical: ["EMPLOYEE", "RESIDENT"] });
    expect(r.pension).toEqual(["EMPLOYEE", "RESIDENT"]);
    expect(r.medical).toEqual(["EMPLOYEE", "RESIDENT"]);
    expect(errors({ ...BASE, pension: ["NONE", "EMPLOYEE"], reasons: ["UNWILLING"] })).toEqual({ pension: "survey.err.pensionNone" });
    expect(errors({ ...BASE, medical: ["NONE"] })).toEqual({ reasons: "survey.err.reasons" });
    expect(errors({ ...BASE, pension: ["SOMETHING"] })).toEqual({ pension: "survey.err.pension" });
  });

  it("a form kept before (pension / medical as one string) still reads, as a list of one", () => {
    const r = ZSurveyForm.parse({ ...BASE, pension: "EMPLOYEE", medical: "NONE", reasons: ["UNWILLING"] });
    expect(r.pension).toEqual(["EMPLOYEE"]);
    expect(r.medical).toEqual(["NONE"]);
  });

  it("drafts take the new fields and both shapes, and still refuse a foreign key", () => {
    expect(parseDraft({ pension: ["EMPLOYEE", "RESIDENT"], noMobileReason: "NO_PHONE", noMobileNote: "" })).toMatchObject({ pension: ["EMPLOYEE", "RESIDENT"] });
    expect(parseDraft({ pension: "EMPLOYEE", medical: "" })).toMatchObject({ pension: "EMPLOYEE" });
    expect(() => parseDraft({ pension: ["BOGUS"] })).toThrow();
    expect(() => parseDraft({ newPerson: { idNumber: "x" } })).toThrow();
  });

  it("the new-person form says what is wrong with the ID number", () => {
    const id = makeIdNumber("320402", "19900101", 5);
    const bad = `${id.slice(0, 17)}${id[17] === "0" ? "1" : "0"}`;
    const keys = (v: object) => {
      const r = ZNewPerson.safeParse(v);
      return r.success ? {} : fieldErrorKeys(r.error);
    };
    expect(keys({ idNumber: "", name: "" })).toEqual({ idNumber: "survey.err.idNumberMissing", name: "survey.err.newPersonName" });
    expect(keys({ idNumber: bad, name: "王五" })).toEqual({ idNumber: "survey.err.id.bad_checksum" });
    expect(keys({ idNumber: "12345", name: "王五" })).toEqual({ idNumber: "survey.err.id.bad_length" });
    expect(keys({ idNumber: id, name: "王五" })).toEqual({});
  });

  it("labels of several answers, and of the mobile's reason, are words, not codes", () => {
    expect(valueLabel(t, "survey.pension", JSON.stringify(["EMPLOYEE", "RESIDENT"]))).toBe("职工养老、城乡居民养老");
    expect(valueLabel(t, "pension", "EMPLOYEE;RESIDENT")).toBe("职工养老、城乡居民养老");
    const entries = surveyDataEntries(t, { pension: ["EMPLOYEE", "RESIDENT"], noMobileReason: "DECEASED", surveyors: ["张洋", "徐艳"] });
    expect(entries.map((e) => e.value)).toEqual(["已死亡", "职工养老、城乡居民养老", "张洋、徐艳"]);
  });
});

let users: Users;
let teamId: number;
let seq = 0;

async function task(state: "ASSIGNED" | "SUBMITTED" | "RETURNED" = "ASSIGNED", name?: string) {
  const idNumber = makeIdNumber("320402", "19700101", 300 + seq++);
  await prisma().person.create({ data: { idNumber, name: name ?? `表单${seq}`, hukouRegionCode: "320402002001", surveyRegionCode: "320402002001", phone: "13800000000", status: "NEEDS_SURVEY" } });
  return prisma().surveyTask.create({ data: { idNumber, regionCode: "320402002001", state, reason: "NOT_INSURED", category: "NOT_INSURED", releasedAt: new Date(), teamId } });
}

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  teamId = await createTeam(users.qinglong, { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] });
});

describe("submitting and approving", () => {
  it("a deceased person without a mobile number goes through to the registry; several answers are kept as a list", async () => {
    const tk = await task();
    const v = await saveDraft(users.s1, tk.id, { noMobileReason: "DECEASED", pension: ["NONE"], medical: ["NONE"] }, tk.version);
    await submitForm(users.s1, tk.id, { noMobileReason: "DECEASED", pension: ["NONE"], medical: ["NONE"], reasons: ["DECEASED"], surveyors: ["张洋", "徐艳"] }, v);
    const submitted = await prisma().surveyTask.findUniqueOrThrow({ where: { id: tk.id } });
    expect(submitted.state).toBe("SUBMITTED");
    await reviewTask(users.qinglong, { taskId: tk.id, decision: "approve", expectedVersion: submitted.version });
    expect(await reviewTask(users.tianning, { taskId: tk.id, decision: "approve", expectedVersion: submitted.version + 1 })).toBe("DISTRICT_APPROVED");
    const p = await prisma().person.findUniqueOrThrow({ where: { idNumber: tk.idNumber } });
    // no number on the form: the registry's phone is left as it was, and no history row claims otherwise
    expect(p.phone).toBe("13800000000");
    expect(p.surveyData).toMatchObject({ noMobileReason: "DECEASED", pension: ["NONE"], medical: ["NONE"] });
    const history = await prisma().personHistory.findMany({ where: { idNumber: tk.idNumber } });
    expect(history.find((h) => h.field === "phone")).toBeUndefined();
    expect(history.find((h) => h.field === "survey.noMobileReason")?.newValue).toBe("DECEASED");
  });

  it("a duplicate enrolment is recorded as two answers; a form kept with one string still approves", async () => {
    const tk = await task();
    await submitForm(users.s1, tk.id, { ...BASE, pension: ["EMPLOYEE", "RESIDENT"] }, tk.version);
    const stored = await prisma().surveyForm.findUniqueOrThrow({ where: { taskId: tk.id } });
    expect((stored.data as { pension: string[] }).pension).toEqual(["EMPLOYEE", "RESIDENT"]);

    const old = await task("SUBMITTED");
    await prisma().surveyForm.create({ data: { taskId: old.id, data: { employment: "UNEMPLOYED", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["甲", "乙"] } } });
    await reviewTask(users.qinglong, { taskId: old.id, decision: "approve", expectedVersion: old.version });
    expect(await reviewTask(users.tianning, { taskId: old.id, decision: "approve", expectedVersion: old.version + 1 })).toBe("DISTRICT_APPROVED");
    expect((await prisma().person.findUniqueOrThrow({ where: { idNumber: old.idNumber } })).surveyData).toMatchObject({ pension: ["RESIDENT"] });
  });

  it("the server refuses what the phone would, field by field", async () => {
    const tk = await task();
    expect(await outcome(submitForm(users.s1, tk.id, { ...BASE, mobile: undefined }, tk.version))).toBe("ZodError");
  });
});

describe("the surveyor's list", () => {
  it("separates open, returned and submitted tasks; searches part of a name or an ID; pages in SQL; audited", async () => {
    await prisma().surveyTask.updateMany({ where: { teamId }, data: { teamId: null } });
    const open = [];
    for (let i = 0; i < 7; i++) open.push(await task("ASSIGNED", i === 3 ? "欧阳娜娜" : `列表${i}`));
    const back = await task("RETURNED", "退回人");
    const sent = await task("SUBMITTED", "提交人");
    const first = await surveyList(users.s1, { tab: "open" }, 1, 3);
    expect(first.counts).toEqual({ open: 7, returned: 1, submitted: 1 });
    expect(first.total).toBe(7);
    expect(first.items).toHaveLength(3);
    const third = await surveyList(users.s1, { tab: "open" }, 3, 3);
    expect(third.items).toHaveLength(1);
    const seen = new Set([...first.items, ...(await surveyList(users.s1, { tab: "open" }, 2, 3)).items, ...third.items].map((x) => x.id));
    expect(seen).toEqual(new Set(open.map((o) => o.id)));
    expect((await surveyList(users.s1, { tab: "returned" }, 1)).items.map((x) => x.id)).toEqual([back.id]);
    expect((await surveyList(users.s1, { tab: "submitted" }, 1)).items.map((x) => x.id)).toEqual([sent.id]);
    // part of a name, part of an ID; masked IDs
    const byName = await surveyList(users.s1, { tab: "open", q: "阳娜" }, 1);
    expect(byName.items.map((x) => x.name)).toEqual(["欧阳娜娜"]);
    expect(byName.items[0].idMasked).not.toContain(open[3].idNumber.slice(6, 14));
    const byId = await surveyList(users.s1, { tab: "open", q: open[5].idNumber.slice(10, 17) }, 1);
    expect(byId.items.map((x) => x.id)).toEqual([open[5].id]);
    // a LIKE wildcard is a character, not "anything"
    expect((await surveyList(users.s1, { tab: "open", q: "%" }, 1)).total).toBe(0);
    // another community's surveyor (in no team) sees none of them; the street clerk sees them all
    expect((await surveyList(users.other, { tab: "open" }, 1)).total).toBe(0);
    expect((await surveyList(users.qinglong, { tab: "open" }, 1)).total).toBeGreaterThanOrEqual(7);
    const audit = await prisma().auditLog.findFirst({ where: { action: "survey.list", userId: users.s1.id }, orderBy: { id: "desc" } });
    expect(audit?.detail).toMatchObject({ filters: { tab: "open", q: "%" }, rows: 0 });
  });
});
