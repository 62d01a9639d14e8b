import bcrypt from "bcryptjs";
import { DomainError } from "@/lib/auth/action";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import type { Actor, TRole } from "@/lib/policy";

// Shared fixture of the registry and change-request tests: two districts, streets in each, two
// communities in the first street, and one user per role and region.

const REGIONS = [
  ["3204", "常州市", "CITY", null],
  ["320402", "天宁区", "DISTRICT", "3204"],
  ["320404", "钟楼区", "DISTRICT", "3204"],
  ["320402002", "青龙街道", "STREET", "320402"],
  ["320402004", "红梅街道", "STREET", "320402"],
  ["320404001", "五星街道", "STREET", "320404"],
  ["320402002001", "甲社区", "COMMUNITY", "320402002"],
  ["320402002002", "乙社区", "COMMUNITY", "320402002"],
  ["320402004001", "丙社区", "COMMUNITY", "320402004"],
  ["320404001001", "丁社区", "COMMUNITY", "320404001"],
] as const;

export type Users = Record<"city" | "tianning" | "zhonglou" | "qinglong" | "qinglong2" | "hongmei" | "wuxing" | "s1" | "s2" | "s3" | "other" | "admin" | "auditor", Actor>;

export async function seedRegionsAndUsers(): Promise<Users> {
  for (const [code, name, level, parentCode] of REGIONS) await prisma().region.create({ data: { code, name, level, parentCode } });
  const specs: [keyof Users, TRole, string | null][] = [
    ["city", "CITY_STAFF", "3204"],
    ["tianning", "DISTRICT_REVIEWER", "320402"],
    ["zhonglou", "DISTRICT_REVIEWER", "320404"],
    ["qinglong", "STREET_CLERK", "320402002"],
    ["qinglong2", "STREET_CLERK", "320402002"],
    ["hongmei", "STREET_CLERK", "320402004"],
    ["wuxing", "STREET_CLERK", "320404001"],
    ["s1", "COMMUNITY_SURVEYOR", "320402002001"],
    ["s2", "COMMUNITY_SURVEYOR", "320402002001"],
    ["s3", "COMMUNITY_SURVEYOR", "320402002001"],
    ["other", "COMMUNITY_SURVEYOR", "320402002002"],
    ["admin", "SYSTEM_ADMIN", null],
    ["auditor", "AUDITOR", "3204"],
  ];
  const hash = await bcrypt.hash("x", 4);
  const users = {} as Users;
  for (const [login, role, regionCode] of specs) {
    const u = await prisma().user.create({ data: { login, realName: `${login} 实名`, passwordHash: hash, role, regionCode } });
    users[login] = { id: u.id, login, role, regionCode };
  }
  return users;
}

let seq = 0;
/** A registry person anchored in `regionCode` (hukou and, by default, survey region). */
export async function person(regionCode = "320402002001", extra: { surveyRegionCode?: string | null; name?: string } = {}) {
  const idNumber = makeIdNumber(regionCode.slice(0, 6), "19800101", 100 + seq++);
  return prisma().person.create({
    data: {
      idNumber,
      name: extra.name ?? `测试${seq}`,
      gender: "1",
      birthDate: new Date("1980-01-01T00:00:00Z"),
      ethnicity: "汉族",
      hukouRegionCode: regionCode,
      hukouAddress: "青龙街道甲社区 1 幢 101 室",
      surveyRegionCode: extra.surveyRegionCode === undefined ? regionCode : extra.surveyRegionCode,
      phone: "13912345678",
      status: "NEEDS_SURVEY",
    },
  });
}

/** The outcome of a call: "succeeded", a DomainError's catalogue key, or the error's name. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.key;
    return (e as Error).name;
  }
  return "succeeded";
}
