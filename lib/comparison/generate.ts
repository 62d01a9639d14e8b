import fs from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { makeIdNumber } from "@/lib/ids/id-number";
import { demoRegions, prng } from "@/prisma/seed/demo";
import { type RawRow, type RefInput, type RefKind, referenceCompare, resultsCsvLine } from "./reference";

// A synthetic city in the import formats (import-formats.md), for the end-to-end test and the
// benchmark: regions.csv, population.csv, several enrolment files (mixed schemes, English or Chinese
// headers), department.csv (GB18030), elsewhere.csv, with every kind of noise the formats allow, and
// manifest.json (the import order). With `expected`, also expected-results.csv: what the test
// oracle (reference.ts) says the comparison must produce. Deterministic by seed; rows are streamed
// to the files (the oracle's copy of the rows is kept only when `expected` is asked for).

export interface GenerateOptions {
  persons: number;
  outDir: string;
  seed?: number;
  /** As-of date of expected-results.csv (YYYY-MM-DD). */
  asOf?: string;
  expected?: boolean;
  cityCode?: string;
}

export interface GeneratedFile {
  kind: "regions" | RefKind;
  file: string;
  encoding: "utf8" | "gb18030";
  rows: number;
}

export interface GenerateResult {
  files: GeneratedFile[];
  /** Data rows written in all files but regions. */
  rows: number;
  expectedFile?: string;
  /** With `expected`: the oracle's input (reference.ts), for tests that restate more of the spec. */
  oracleInput?: Omit<RefInput, "basis">;
}

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钱汪";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲燕晨宇浩然子涵欣怡梓轩雨婷俊杰";
const ETHNIC = [["阿依古丽", "买买提"], ["古丽娜", "热合曼"], ["穆罕默德", "阿不都"], ["迪丽", "热巴"]];
const DOTS = ["·", "•", "・", ".", "．"];
const EMPLOYERS = ["常州市天宁机械厂", "江苏恒力化纤有限公司", "常州东方电子股份有限公司", "钟楼区人民医院", "新北区实验中学", "常州\"星火\"科技, 有限公司"];
const SCHEME_NAMES: Record<string, string> = {
  "110": "企业职工基本养老保险", "120": "机关事业单位养老保险", "170": "城乡居民基本养老保险", "310": "职工基本医疗保险",
  "390": "城乡居民基本医疗保险", "210": "失业保险", "410": "工伤保险", "510": "生育保险",
};
const STATUS_NAMES = ["", "参保缴费", "暂停缴费", "终止参保"];
const OUT_CITY_IN_PROVINCE = ["320102", "320205", "320583", "321002"];
const OUT_OF_PROVINCE = ["110101", "310115", "440305", "510107"];

const HEADERS: Record<RefKind, { en: string[]; zh: string[] }> = {
  population: {
    en: ["id_number", "name", "gender", "birth_date", "ethnicity", "hukou_region_code", "hukou_address", "residence_region_code", "residence_address", "phone", "status"],
    zh: ["公民身份号码", "姓名", "性别", "出生日期", "民族", "户籍地区划代码", "户籍地址", "常住地区划代码", "常住地址", "联系电话", "人员状态"],
  },
  enrolment: {
    en: ["id_number", "name", "scheme", "status", "region_code", "employer", "start_date", "benefit"],
    zh: ["公民身份号码", "姓名", "险种", "参保状态", "参保地区划代码", "单位名称", "参保日期", "待遇享受"],
  },
  department: { en: ["id_number", "name", "kind", "date", "source"], zh: ["公民身份号码", "姓名", "类别", "日期", "来源部门"] },
  elsewhere: { en: ["id_number", "name", "scheme", "region_code", "status"], zh: ["公民身份号码", "姓名", "险种", "参保地区划代码", "参保状态"] },
};

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A streamed CSV file; rows are also kept for the oracle when asked. */
class CsvOut {
  private stream: fs.WriteStream;
  private pending: string[] = [];
  rows = 0;
  readonly kept: RawRow[] | null;
  constructor(
    file: string,
    private readonly fields: string[],
    header: string[],
    private readonly encoding: "utf8" | "gb18030",
    keep: boolean,
    bom = false,
  ) {
    this.stream = fs.createWriteStream(file);
    this.kept = keep ? [] : null;
    this.pending.push(`${bom ? "\uFEFF" : ""}${header.join(",")}\n`);
  }
  async write(row: RawRow): Promise<void> {
    this.rows++;
    this.kept?.push(row);
    this.pending.push(`${this.fields.map((f) => csvField(row[f] ?? "")).join(",")}\n`);
    if (this.pending.length >= 2000) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join("");
    this.pending = [];
    const buf = this.encoding === "utf8" ? Buffer.from(text, "utf8") : iconv.encode(text, "gb18030");
    if (!this.stream.write(buf)) await new Promise<void>((r) => this.stream.once("drain", () => r()));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

function fullWidth(s: string): string {
  return s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

export async function generateCity(opts: GenerateOptions): Promise<GenerateResult> {
  const seed = opts.seed ?? 1;
  const asOf = opts.asOf ?? "2026-11-25";
  const city = opts.cityCode ?? "3204";
  const keep = opts.expected ?? false;
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  fs.mkdirSync(opts.outDir, { recursive: true });
  const out = (f: string) => path.join(opts.outDir, f);

  // Regions: the real city-level tree plus the demo's generated communities.
  const regions = demoRegions();
  const communities = regions.filter((r) => r.level === "COMMUNITY").map((r) => r.code);
  const streets = regions.filter((r) => r.level === "STREET").map((r) => r.code);
  const districts = regions.filter((r) => r.level === "DISTRICT").map((r) => r.code);
  fs.writeFileSync(out("regions.csv"), `code,name,parent_code\n${regions.map((r) => `${r.code},${r.name},${r.parentCode ?? ""}`).join("\n")}\n`);

  const P = HEADERS.population;
  const E = HEADERS.enrolment;
  const population = new CsvOut(out("population.csv"), P.en, P.en, "utf8", keep, true);
  const enrolment = [
    new CsvOut(out("enrolment-1.csv"), E.en, E.en, "utf8", keep),
    new CsvOut(out("enrolment-2.csv"), E.en, E.zh, "utf8", keep, true),
    new CsvOut(out("enrolment-3.csv"), E.en, E.en.map((h) => h.toUpperCase()), "utf8", keep),
  ];
  const department = new CsvOut(out("department.csv"), HEADERS.department.en, HEADERS.department.zh, "gb18030", keep);
  const elsewhere = new CsvOut(out("elsewhere.csv"), HEADERS.elsewhere.en, HEADERS.elsewhere.en, "utf8", keep);

  const asOfYear = Number(asOf.slice(0, 4));
  let seq = 0;

  /** Raw ID text of a valid ID with the noise the formats allow (same person after normalisation). */
  function noisyId(id: string, birthYear: number): string {
    let s = id;
    if (birthYear >= 1900 && birthYear <= 1999 && chance(0.03)) s = s.slice(0, 6) + s.slice(8, 17); // legacy 15 digits
    if (s.endsWith("X") && chance(0.5)) s = `${s.slice(0, -1)}x`;
    if (chance(0.04)) s = fullWidth(s);
    if (chance(0.04)) s = ` ${s} `;
    if (chance(0.01)) s = `\u3000${s}`;
    return s;
  }

  /** An invalid ID of the given reason. */
  function invalidId(reason: string, area: string, birth: string): string {
    const good = makeIdNumber(area, birth, seq++);
    switch (reason) {
      case "bad_length":
        return chance(0.2) ? "" : good.slice(0, 16 + Math.floor(rand() * 2) * 3); // 16 or 19 characters
      case "bad_characters":
        return chance(0.5) ? `${good.slice(0, 10)}A${good.slice(11)}` : `${good.slice(0, 6)}${birth.slice(2)}0O1`;
      case "bad_checksum":
        return good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
      default:
        return chance(0.5) ? makeIdNumber(area, `${birth.slice(0, 4)}0230`, seq++) : makeIdNumber(area, `${asOfYear + 1}0101`, seq++);
    }
  }

  function personName(): string {
    if (chance(0.01)) {
      const [a, b] = pick(ETHNIC);
      return `${a}${pick(DOTS)}${b}`;
    }
    const n = pick(SURNAMES.split("")) + pick(GIVEN.split("")) + (chance(0.6) ? pick(GIVEN.split("")) : "");
    return n;
  }

  /** The same name as another system might write it (spaces, full-width, dot variants). */
  function noisyName(n: string): string {
    let s = n;
    if (chance(0.03)) s = `${s.slice(0, 1)} ${s.slice(1)}`;
    if (chance(0.02)) s = ` ${s}\u3000`;
    if (/[·•・.．]/.test(s) && chance(0.5)) s = s.replace(/[·•・.．]/, pick(DOTS));
    return s;
  }

  const ymdFormats = [(y: string, m: string, d: string) => `${y}-${m}-${d}`, (y: string, m: string, d: string) => `${y}/${Number(m)}/${Number(d)}`, (y: string, m: string, d: string) => `${y}${m}${d}`];
  const schemeText = (s: string) => (chance(0.3) ? SCHEME_NAMES[s] : s);
  const statusText = (st: number) => (chance(0.3) ? STATUS_NAMES[st] : String(st));
  const benefitText = (b: boolean) => (b ? pick(["是", "1"]) : pick(["", "", "否", "0"]));

  async function enrol(raw: RawRow): Promise<void> {
    await pick(enrolment).write(raw);
    if (chance(0.01)) await pick(enrolment).write(raw); // the same record twice
  }

  for (let i = 0; i < opts.persons; i++) {
    const community = pick(communities);
    const y = asOfYear - Math.floor(rand() * 90);
    const m = 1 + Math.floor(rand() * 12);
    const d = chance(0.002) && m === 2 ? 29 : 1 + Math.floor(rand() * 28);
    const birth = `${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
    const age = asOfYear - y; // approximate: the profile only, the rules use the exact age
    const kindRoll = rand();
    const nonLocalOnly = kindRoll < 0.02; // insured here, not in the population
    const outsider = kindRoll >= 0.02 && kindRoll < 0.05; // hukou outside the city
    const area = outsider || nonLocalOnly ? pick([...OUT_CITY_IN_PROVINCE, ...OUT_OF_PROVINCE]) : community.slice(0, 6);
    let id = makeIdNumber(area, birth, seq++);
    // A person born on 29 Feb of a non-leap year or in the future is an invalid ID: keep them rare.
    const invalidRoll = rand();
    const reasons = ["bad_length", "bad_characters", "bad_checksum", "bad_birth_date"];
    const invalidReason = invalidRoll < 0.01 ? reasons[Math.floor(invalidRoll * 400) % 4] : null;
    if (!invalidReason && !/^\d{17}[\dX]$/.test(id)) id = makeIdNumber(area, "19800101", seq++);
    const rawId = () => (invalidReason ? invalidId(invalidReason, area, birth) : noisyId(id, y));
    const name = personName();
    const male = Number(id[16]) % 2 === 1;

    if (!nonLocalOnly) {
      const hukou = outsider ? `${area}001001` : chance(0.01) ? "" : chance(0.01) ? `${pick(streets)}999` : community;
      const residence = chance(0.6) ? "" : chance(0.03) ? pick([`${pick(streets)}998`, "110101001001"]) : chance(0.5) ? community : pick(communities);
      const status = chance(0.01) ? pick(["deceased", "死亡"]) : chance(0.01) ? pick(["moved_out", "迁出"]) : pick(["", "normal", "正常"]);
      const gender = chance(0.1) ? "" : chance(0.01) !== male ? pick(["1", "男", "M", "m"]) : pick(["2", "女", "F"]);
      const realBirth = !(m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
      const birthText = chance(0.2) || !realBirth ? "" : chance(0.01) ? "1970-01-01" : pick(ymdFormats)(birth.slice(0, 4), birth.slice(4, 6), birth.slice(6));
      const row: RawRow = {
        id_number: rawId(),
        name: noisyName(name),
        gender,
        birth_date: birthText,
        ethnicity: chance(0.9) ? "汉族" : pick(["回族", "03", "维吾尔族"]),
        hukou_region_code: chance(0.02) && hukou ? fullWidth(hukou) : hukou,
        hukou_address: `${hukou ? "某路" : ""}${1 + Math.floor(rand() * 99)}号`,
        residence_region_code: residence,
        residence_address: residence ? "常住地址" : "",
        phone: chance(0.7) ? `1${pick([3, 5, 8, 9])}${String(Math.floor(rand() * 1e9)).padStart(9, "0")}` : "",
        status,
      };
      await population.write(row);
      if (chance(0.005)) await population.write({ ...row, id_number: noisyId(id, y), name: chance(0.5) ? name : personName() }); // duplicate ID
    }
    if (outsider && chance(0.5)) {
      // hukou elsewhere, nothing local: out of scope unless a local record follows below
      if (chance(0.5)) continue;
    }

    // Enrolment profile
    const enrolName = () => (chance(0.01) ? personName() : noisyName(name));
    const localRegion = () => (chance(0.8) ? "" : chance(0.5) ? pick(districts) : city);
    const rec = async (scheme: string, status: number, extra: Partial<RawRow> = {}) =>
      enrol({ id_number: rawId(), name: enrolName(), scheme: schemeText(scheme), status: statusText(status), region_code: localRegion(), employer: "", start_date: chance(0.5) ? "2015-01-01" : "", benefit: benefitText(false), ...extra });
    const profile = rand();
    if (age < 16) {
      if (profile < 0.85) await rec("390", 1);
      else if (profile < 0.9) await rec("390", 2);
    } else if (age >= 60 && profile < 0.5) {
      await rec(pick(["110", "110", "120"]), pick([1, 2, 3]), { benefit: benefitText(true) });
      await rec(chance(0.7) ? "310" : "390", 1);
    } else if (profile < 0.3) {
      const employer = pick(EMPLOYERS);
      const schemes = ["110", "310", "210", "410", "510"].filter((s) => !(s !== "110" && chance(0.05)));
      if (chance(0.1)) schemes[0] = "120";
      for (const s of schemes) await rec(s, chance(0.03) ? 2 : 1, { employer: s === "110" || s === "310" || chance(0.5) ? employer : "" });
      if (chance(0.03)) await rec("170", 1);
      if (chance(0.03)) await rec("390", 1);
    } else if (profile < 0.7) {
      await rec("170", chance(0.05) ? 2 : 1);
      await rec("390", chance(0.03) ? 2 : 1);
    } else if (profile < 0.78) {
      await rec(pick(["170", "390"]), 1);
    } else if (profile < 0.84) {
      if (chance(0.5)) await rec(pick(["170", "110", "390"]), 3);
    } else if (profile < 0.88) {
      await rec("210", 2);
    } else if (profile < 0.94) {
      await rec("170", 1);
      await rec("390", 1);
      await rec(pick(["170", "390"]), 1, { region_code: pick([...OUT_CITY_IN_PROVINCE, ...OUT_OF_PROVINCE]) });
    } else {
      await rec("390", 1);
      await rec("170", 2);
      if (chance(0.3)) await rec("110", 1, { employer: pick(EMPLOYERS), benefit: benefitText(chance(0.2)) });
    }
    if (nonLocalOnly && chance(0.3)) await rec("310", 1, { employer: pick(EMPLOYERS) });

    // Elsewhere records (national/provincial registry)
    if (chance(0.06)) {
      const n = 1 + Math.floor(rand() * 2);
      for (let k = 0; k < n; k++) {
        await elsewhere.write({ id_number: rawId(), name: enrolName(), scheme: schemeText(pick(["170", "390", "110", "310"])), region_code: pick([...OUT_CITY_IN_PROVINCE, ...OUT_OF_PROVINCE]), status: statusText(pick([1, 1, 2, 3])) });
      }
    }
    // Department records
    const deptKind = chance(0.004) ? pick(["deceased", "死亡"]) : chance(0.003) ? pick(["prisoner", "服刑"]) : chance(0.003) ? pick(["military", "服役"]) : chance(0.003) ? pick(["emigrated", "出国定居"]) : age >= 16 && age <= 24 && chance(0.3) ? pick(["student", "在校学生"]) : null;
    if (deptKind) await department.write({ id_number: rawId(), name: chance(0.05) ? personName() : name, kind: deptKind, date: "2024-06-01", source: pick(["民政", "监狱", "兵役", "公安", "教育"]) });
  }
  // Persons only in department or elsewhere records: out of scope.
  for (let i = 0; i < Math.max(1, Math.floor(opts.persons / 500)); i++) {
    const id = makeIdNumber(pick(communities).slice(0, 6), "19900101", seq++);
    await department.write({ id_number: id, name: personName(), kind: "deceased", date: "", source: "民政" });
    await elsewhere.write({ id_number: makeIdNumber("110101", "19850505", seq++), name: personName(), scheme: "170", region_code: "110101", status: "1" });
  }

  const all = [population, ...enrolment, department, elsewhere];
  await Promise.all(all.map((f) => f.close()));
  const files: GeneratedFile[] = [
    { kind: "regions", file: "regions.csv", encoding: "utf8", rows: regions.length },
    { kind: "population", file: "population.csv", encoding: "utf8", rows: population.rows },
    ...enrolment.map((f, i) => ({ kind: "enrolment" as const, file: `enrolment-${i + 1}.csv`, encoding: "utf8" as const, rows: f.rows })),
    { kind: "department", file: "department.csv", encoding: "gb18030", rows: department.rows },
    { kind: "elsewhere", file: "elsewhere.csv", encoding: "utf8", rows: elsewhere.rows },
  ];
  fs.writeFileSync(out("manifest.json"), JSON.stringify({ seed, persons: opts.persons, asOf, basis: "hukou", files }, null, 2));
  const result: GenerateResult = { files, rows: all.reduce((a, f) => a + f.rows, 0) };

  if (keep) {
    const batches = [
      { kind: "population" as const, rows: population.kept ?? [] },
      ...enrolment.map((f) => ({ kind: "enrolment" as const, rows: f.kept ?? [] })),
      { kind: "department" as const, rows: department.kept ?? [] },
      { kind: "elsewhere" as const, rows: elsewhere.kept ?? [] },
    ];
    const write = (file: string, basis: "hukou" | "residence") => {
      const { results } = referenceCompare({ asOf, basis, cityCode: city, communities, batches });
      fs.writeFileSync(file, `\uFEFFid_number,name,category,flags,missing_schemes,region_code\n${results.map((r) => `${resultsCsvLine(r)}\n`).join("")}`);
    };
    result.oracleInput = { asOf, cityCode: city, communities, batches };
    result.expectedFile = out("expected-results.csv");
    write(result.expectedFile, "hukou");
    // the same inputs compared with the residence basis
    write(out("expected-results-residence.csv"), "residence");
  }
  return result;
}
