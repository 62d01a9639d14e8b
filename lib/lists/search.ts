import { normaliseIdNumber } from "@/lib/ids/id-number";

// The search box of the lists (issue 13, "lists that scale"): part of a Chinese name or part of an
// ID number, the same everywhere. A full 18-character ID number is matched exactly; a part of one
// must be 4–10 characters (a longer part would put most of a person's number in the page's URL); a
// name part is any run of characters. The grams are those of the person_search_grams() index
// (prisma/migrations/20261202171300_lists_person_search): single characters and pairs of a name,
// triples of an ID number — the SQL asks for all of them (`@>`) and rechecks with LIKE.
//
// Measured with EXPLAIN ANALYZE on 250,000 persons (embedded PostgreSQL 18, a 2-core machine shared
// with other work; page = 20 rows ORDER BY id_number, count = the total), city scope unless noted:
//   name "小明" 1.5–8 ms · "王伟芳" 2–12 ms · one character "张" (2.5 % of persons) 29–31 ms ·
//   "伟芳" in one community 2.4 ms · ID part "7919" 2–8 ms · "15838" 3–17 ms.
// The slow case is a part that most IDs of the scope share (e.g. the district prefix "320402"):
// every row matches and the count reads them all (≈ 0.6 s for 50,000 rows) — a search that finds
// the whole district is no search; the hint asks for the birth date or the last digits.
// At 900,000 persons (same machine, page + capped count run together, 7 runs each): no search, city
// 4.5 ms (the count stops at 10,001: lib/registry/queries.ts REGISTRY_COUNT_CAP; uncapped it was
// 380 ms) · a birth date "19850315" 26 ms · six last digits 4 ms · "王" in one community 33 ms ·
// "王" city-wide (22,500 rows, the page sorts them all) 166 ms · "1985" in a district 200 ms. The
// last two — one common character or four common digits over a whole city or district — stay above
// the 100 ms target; index size 40 MB, built in 20–30 s.

export const ID_PART_MIN = 4;
export const ID_PART_MAX = 10;

export type TPersonSearch =
  | { kind: "none" }
  | { kind: "id"; idNumber: string }
  | { kind: "idPart"; part: string; grams: string[] }
  | { kind: "name"; part: string; grams: string[] }
  /** Digits that are neither a full number nor a usable part: the page says what to type. */
  | { kind: "invalid"; part: string };

export function parsePersonSearch(raw: string | null | undefined): TPersonSearch {
  const q = normaliseIdNumber(raw ?? "").replace(/\s+/g, "").slice(0, 40);
  if (!q) return { kind: "none" };
  if (/^\d{17}[\dX]$/.test(q)) return { kind: "id", idNumber: q };
  if (/^[\dX]+$/.test(q)) {
    if (q.length < ID_PART_MIN || q.length > ID_PART_MAX) return { kind: "invalid", part: q };
    const grams = new Set<string>();
    for (let i = 0; i + 3 <= q.length; i++) grams.add(`i:${q.slice(i, i + 3)}`);
    return { kind: "idPart", part: q, grams: [...grams] };
  }
  const chars = [...q];
  const grams = new Set<string>();
  if (chars.length === 1) grams.add(`n:${chars[0]}`);
  for (let i = 0; i + 2 <= chars.length; i++) grams.add(`n:${chars[i]}${chars[i + 1]}`);
  return { kind: "name", part: q, grams: [...grams] };
}

/** A LIKE pattern matching `s` anywhere (its % _ \ escaped). */
export function containsPattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The SQL condition on a person row (`alias` names the person table) for a parsed search, its
 * parameters numbered from `next`. Null when there is no search. "invalid" matches nothing.
 */
export function personSearchSql(s: TPersonSearch, alias: string, next: number): { sql: string; params: unknown[] } | null {
  switch (s.kind) {
    case "none":
      return null;
    case "invalid":
      return { sql: "false", params: [] };
    case "id":
      return { sql: `${alias}.id_number = $${next}`, params: [s.idNumber] };
    case "idPart":
      return { sql: `person_search_grams(${alias}.name, ${alias}.id_number::text) @> $${next}::text[] AND ${alias}.id_number LIKE $${next + 1}`, params: [s.grams, containsPattern(s.part)] };
    case "name":
      return { sql: `person_search_grams(${alias}.name, ${alias}.id_number::text) @> $${next}::text[] AND ${alias}.name LIKE $${next + 1}`, params: [s.grams, containsPattern(s.part)] };
  }
}

/** What the audit row records of a search (as registry.search always did: the auditor finds a person by it). */
export function auditedSearch(s: TPersonSearch): string | undefined {
  if (s.kind === "none") return undefined;
  if (s.kind === "id") return s.idNumber;
  return s.part;
}
