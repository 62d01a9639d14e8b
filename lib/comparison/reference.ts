// TEST ORACLE ONLY — not used by the product. An independent, deliberately straightforward
// implementation of comparison-rules.md: per person, in memory, from the raw file values (so it
// also re-does the importer's value normalisation). The generator uses it to write
// expected-results.csv, and the end-to-end test holds the real implementation (the SQL module in
// lib/comparison/sql, run by lib/comparison/run.ts) to it. It shares no code with either: the
// rules live once in the SQL; this file restates them to catch mistakes in it.

export type RawRow = Record<string, string | null | undefined>;
export type RefKind = "population" | "enrolment" | "department" | "elsewhere";

export interface RefInput {
  asOf: string; // YYYY-MM-DD
  basis: "hukou" | "residence";
  cityCode: string;
  /** Codes of the known communities (region level COMMUNITY). */
  communities: Iterable<string>;
  /** Batches in import order. */
  batches: { kind: RefKind; rows: RawRow[] }[];
}

export interface RefResult {
  id_number: string;
  name: string;
  category: string;
  flags: string[];
  missing_schemes: string[];
  region_code: string;
  /** Facts the statistics count (statistics.md §2), for their test: §3's active schemes (sorted),
   *  whether pension and the employee set apply, and the statistics region (statistics.md §1: the
   *  survey region when it is a known community, whatever the category; else ""). */
  facts: { active: string[]; pension_applies: boolean; employee_set: boolean; stats_region: string };
}

// ---- value normalisation (import-formats.md "Values", "Coded values") ----

function halfWidth(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else out += ch;
  }
  return out;
}

function text(v: string | null | undefined): string {
  if (v === null || v === undefined) return "";
  return halfWidth(v).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

const SCHEME_NAMES: Record<string, string> = {
  企业职工基本养老保险: "110",
  机关事业单位养老保险: "120",
  城乡居民基本养老保险: "170",
  职工基本医疗保险: "310",
  城乡居民基本医疗保险: "390",
  失业保险: "210",
  工伤保险: "410",
  生育保险: "510",
};
function scheme(v: string | null | undefined): string {
  const t = text(v);
  return SCHEME_NAMES[t] ?? t;
}
function insuredStatus(v: string | null | undefined): number {
  const t = text(v);
  if (t === "1" || t === "参保缴费") return 1;
  if (t === "2" || t === "暂停缴费") return 2;
  if (t === "3" || t === "终止参保") return 3;
  throw new Error(`reference: bad status ${v}`);
}
function gender(v: string | null | undefined): string {
  const t = text(v).toUpperCase();
  if (t === "") return "";
  if (t === "1" || t === "男" || t === "M") return "1";
  if (t === "2" || t === "女" || t === "F") return "2";
  throw new Error(`reference: bad gender ${v}`);
}
function yes(v: string | null | undefined): boolean {
  const t = text(v);
  return t === "是" || t === "1";
}
function popStatus(v: string | null | undefined): string {
  const t = text(v).toLowerCase();
  if (t === "" || t === "normal" || t === "正常") return "normal";
  if (t === "deceased" || t === "死亡") return "deceased";
  if (t === "moved_out" || t === "迁出") return "moved_out";
  throw new Error(`reference: bad population status ${v}`);
}
function deptKind(v: string | null | undefined): string {
  const t = text(v).toLowerCase();
  const map: Record<string, string> = { 死亡: "deceased", 服刑: "prisoner", 服役: "military", 出国定居: "emigrated", 在校学生: "student" };
  return map[t] ?? t;
}
/** A date value as YYYYMMDD, or "" when empty. */
function ymd(v: string | null | undefined): string {
  const t = text(v);
  if (t === "") return "";
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return `${m[1]}${m[2]}${m[3]}`;
  m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m) return `${m[1]}${m[2].padStart(2, "0")}${m[3].padStart(2, "0")}`;
  throw new Error(`reference: bad date ${v}`);
}

// ---- comparison-rules.md §1 ----

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function check(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return "10X98765432"[sum % 11];
}
function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
function realDate(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** Normalised ID and the first failed check (null = valid). */
export function refId(raw: string | null | undefined, asOfYmd: string): { id: string; reason: string | null } {
  const s = halfWidth(raw ?? "").replace(/^ +| +$/g, "").replace(/x/g, "X");
  let id = s;
  if (/^\d{15}$/.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    id = first17 + check(first17);
  }
  if (s.length !== 15 && s.length !== 18) return { id, reason: "bad_length" };
  if (s.length === 15 && !/^\d{15}$/.test(s)) return { id, reason: "bad_characters" };
  if (s.length === 18 && !/^\d{17}[\dX]$/.test(s)) return { id, reason: "bad_characters" };
  if (s.length === 18 && check(s.slice(0, 17)) !== s[17]) return { id, reason: "bad_checksum" };
  const birth = id.slice(6, 14);
  if (!realDate(birth) || birth > asOfYmd) return { id, reason: "bad_birth_date" };
  return { id, reason: null };
}

export function refName(raw: string | null | undefined): string {
  return halfWidth(raw ?? "")
    .replace(/\s/g, "")
    .replace(/[·•・.．]/g, "·");
}

// ---- the comparison, per person ----

const PENSION = ["110", "120", "170"];
const MEDICAL = ["310", "390"];

interface Rec {
  local: boolean;
  fromElsewhereFile: boolean;
  scheme: string;
  status: number;
  place: string;
  employer: boolean;
  benefit: boolean;
  name: string;
}

interface Pop {
  name: string;
  gender: string;
  birth: string;
  hukou: string;
  residence: string;
  status: string;
}

export interface RefInvalid {
  batch: number;
  line: number;
  reason: string;
}

export function referenceCompare(input: RefInput): { results: RefResult[]; invalid: RefInvalid[] } {
  const asOfYmd = input.asOf.replace(/-/g, "");
  const city = input.cityCode;
  const province = city.slice(0, 2);
  const communities = new Set(input.communities);
  const invalid: RefInvalid[] = [];

  const pop = new Map<string, Pop>();
  const recs = new Map<string, Rec[]>();
  const firstLocalName = new Map<string, string>();
  const seenEnrolment = new Set<string>();
  const dept = new Map<string, Set<string>>();

  input.batches.forEach((batch, bi) => {
    batch.rows.forEach((row, ri) => {
      const line = ri + 2;
      const { id, reason } = refId(row.id_number, asOfYmd);
      if (reason) {
        invalid.push({ batch: bi, line, reason });
        return;
      }
      if (batch.kind === "population") {
        if (pop.has(id)) {
          invalid.push({ batch: bi, line, reason: "duplicate_id" });
          return;
        }
        pop.set(id, {
          name: refName(row.name),
          gender: gender(row.gender),
          birth: ymd(row.birth_date),
          hukou: text(row.hukou_region_code),
          residence: text(row.residence_region_code),
          status: popStatus(row.status),
        });
      } else if (batch.kind === "enrolment") {
        const sc = scheme(row.scheme);
        const st = insuredStatus(row.status);
        const region = text(row.region_code);
        const key = `${id}|${sc}|${region}|${st}`;
        if (seenEnrolment.has(key)) return; // §1 same record twice: the first row is the record
        seenEnrolment.add(key);
        const local = region === "" || region.startsWith(city);
        const name = refName(row.name);
        if (local && !firstLocalName.has(id)) firstLocalName.set(id, name);
        const list = recs.get(id) ?? [];
        list.push({ local, fromElsewhereFile: false, scheme: sc, status: st, place: local ? "" : region, employer: text(row.employer) !== "", benefit: yes(row.benefit), name });
        recs.set(id, list);
      } else if (batch.kind === "elsewhere") {
        const list = recs.get(id) ?? [];
        list.push({ local: false, fromElsewhereFile: true, scheme: scheme(row.scheme), status: insuredStatus(row.status), place: text(row.region_code), employer: false, benefit: false, name: refName(row.name) });
        recs.set(id, list);
      } else {
        const set = dept.get(id) ?? new Set<string>();
        set.add(deptKind(row.kind));
        dept.set(id, set);
      }
    });
  });

  // §2 scope
  const inScope = new Map<string, boolean>(); // id → non_local
  for (const [id, p] of pop) if (p.hukou === "" || p.hukou.startsWith(city)) inScope.set(id, false);
  for (const [id, list] of recs) if (!inScope.has(id) && list.some((r) => r.local)) inScope.set(id, true);

  const results: RefResult[] = [];
  for (const [id, nonLocal] of inScope) {
    const p = pop.get(id);
    const list = recs.get(id) ?? [];
    const kinds = dept.get(id) ?? new Set<string>();

    // §3 facts
    const by = Number(id.slice(6, 10));
    const bmd = id.slice(10, 14);
    const ay = Number(asOfYmd.slice(0, 4));
    const amd = asOfYmd.slice(4);
    const age = ay - by - (amd < bmd ? 1 : 0);
    const isActive = (r: Rec) => r.status === 1 || (PENSION.includes(r.scheme) && r.benefit);
    const active = new Set(list.filter(isActive).map((r) => r.scheme));
    const suspended = new Set(list.filter((r) => r.status === 2 && !active.has(r.scheme)).map((r) => r.scheme));
    const receivesBenefit = list.some((r) => r.local && r.benefit);
    const student = kinds.has("student");
    const pensionApplies = age >= 16 && !student;
    const employeeSet = !receivesBenefit && list.some((r) => r.local && isActive(r) && r.employer && (r.scheme === "110" || r.scheme === "310"));
    let surveyCode = "";
    if (!nonLocal && p) surveyCode = input.basis === "residence" && p.residence !== "" ? p.residence : p.hukou;
    const knownCommunity = !nonLocal && surveyCode.startsWith(city) && communities.has(surveyCode);

    // §4 flags
    const flags = new Set<string>();
    if (p?.status === "deceased" || kinds.has("deceased")) flags.add("deceased");
    for (const k of ["prisoner", "military", "emigrated"]) if (kinds.has(k)) flags.add(k);
    if (p?.status === "moved_out") flags.add("moved_out");
    if (nonLocal) flags.add("non_local");
    if (p && list.some((r) => r.name !== p.name)) flags.add("name_mismatch");
    if (p && p.gender !== "" && p.gender !== (Number(id[16]) % 2 === 1 ? "1" : "2")) flags.add("gender_mismatch");
    if (p && p.birth !== "" && p.birth !== id.slice(6, 14)) flags.add("birth_mismatch");
    if (!nonLocal && !knownCommunity) flags.add("no_region");
    if (PENSION.filter((s) => active.has(s)).length >= 2) flags.add("dup_pension");
    if (active.has("310") && active.has("390")) flags.add("dup_medical");
    for (const s of active) {
      const places = new Set(list.filter((r) => r.scheme === s && isActive(r)).map((r) => (r.local ? "#city" : `@${r.place}`)));
      if (places.size >= 2) flags.add("dup_place");
    }
    for (const r of list) {
      if (r.local || !isActive(r)) continue;
      flags.add(r.place.slice(0, 2) === province ? "elsewhere_in_province" : "elsewhere_out_of_province");
    }
    const pensionActive = PENSION.some((s) => active.has(s));
    const medicalActive = MEDICAL.some((s) => active.has(s));
    if (pensionApplies && !pensionActive) flags.add("no_pension");
    if (!medicalActive) flags.add("no_medical");
    const employeeMissing: string[] = [];
    if (employeeSet) {
      if (!active.has("110") && !active.has("120")) employeeMissing.push("110");
      for (const s of ["310", "210", "410", "510"]) if (!active.has(s)) employeeMissing.push(s);
      if (employeeMissing.length > 0) flags.add("missing_employee_schemes");
    }
    if ((!pensionActive && PENSION.some((s) => suspended.has(s))) || (!medicalActive && MEDICAL.some((s) => suspended.has(s)))) flags.add("interrupted");

    // §5 category
    const has = (...f: string[]) => f.some((x) => flags.has(x));
    let category: string;
    if (has("deceased", "prisoner", "military", "emigrated", "moved_out")) category = "EXCLUDED";
    else if (has("name_mismatch", "gender_mismatch", "birth_mismatch", "no_region")) category = "INFO_ERROR";
    else if (has("dup_pension", "dup_medical", "dup_place")) category = "DUPLICATE";
    else if (active.size === 0 && suspended.size === 0) category = "NOT_INSURED";
    else if (has("interrupted")) category = "INTERRUPTED";
    else if (has("no_pension", "no_medical", "missing_employee_schemes")) category = "PARTIAL";
    else category = "CONFIRMED";

    const missing = new Set<string>();
    if (category !== "EXCLUDED") {
      if (flags.has("no_pension")) missing.add(employeeSet ? "110" : "170");
      if (flags.has("no_medical")) missing.add(employeeSet ? "310" : "390");
      if (flags.has("missing_employee_schemes")) for (const s of employeeMissing) missing.add(s);
    }
    const needsSurvey = category !== "EXCLUDED" && category !== "CONFIRMED";
    results.push({
      id_number: id,
      name: p ? p.name : (firstLocalName.get(id) ?? ""),
      category,
      flags: [...flags].sort(),
      missing_schemes: [...missing].sort(),
      region_code: needsSurvey && knownCommunity ? surveyCode : "",
      facts: { active: [...active].sort(), pension_applies: pensionApplies, employee_set: employeeSet, stats_region: knownCommunity ? surveyCode : "" },
    });
  }
  results.sort((a, b) => (a.id_number < b.id_number ? -1 : a.id_number > b.id_number ? 1 : 0));
  return { results, invalid };
}

// ---- the results export (import-formats.md), as the oracle writes it ----

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function resultsCsvLine(r: RefResult): string {
  return [r.id_number, r.name, r.category, r.flags.join(";"), r.missing_schemes.join(";"), r.region_code].map(csvField).join(",");
}
