import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { DomainError } from "@/lib/auth/errors";
import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, requirePermission, ROLE_LEVEL, scopePrefix, type TPermission } from "@/lib/policy";
import { type EmployerPersonRow, employerPersonRows, type EmployerRow, employerRows } from "./employers";

// The employers page (/outcomes/employers) and its XLSX export: the rows of the latest finished
// comparison run, scoped in the query through lib/policy — city staff see the whole city (non_local
// persons included), a district reviewer the persons whose statistics region lies in the district.

export const PERSONS_PAGE_SIZE = 50;

/** The region prefix the actor's rows are restricted to (null: the whole city). */
export function employerScope(actor: Actor, permission: TPermission = "outcomes:employers"): string | null {
  requirePermission(actor, permission);
  const prefix = scopePrefix(actor, permission);
  return ROLE_LEVEL[actor.role] === "CITY" ? null : prefix;
}

/** The latest finished run (id, as-of date), or null when there is none. */
export async function latestDoneRun(): Promise<{ id: number; asOf: string } | null> {
  const { rows } = await pool().query<{ id: number; as_of: string }>(
    `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM comparison_run WHERE status = 'DONE' ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ? { id: rows[0].id, asOf: rows[0].as_of } : null;
}

export async function listEmployers(actor: Actor): Promise<{ run: { id: number; asOf: string } | null; rows: EmployerRow[] }> {
  const prefix = employerScope(actor);
  const run = await latestDoneRun();
  if (!run) return { run, rows: [] };
  return { run, rows: await employerRows(pool(), run.id, prefix) };
}

export interface MaskedPerson {
  maskedId: string;
  name: string;
  regionCode: string | null;
  /** The region's name (a lookup over the page's codes, all within the scope). */
  regionName: string | null;
  missingSchemes: string[];
  source: "comparison" | "survey";
}

/** One employer's persons, masked, paged (page from 1). An employer outside the scope has none. */
export async function listEmployerPersons(actor: Actor, employer: string, page: number): Promise<{ run: { id: number; asOf: string } | null; total: number; persons: MaskedPerson[] }> {
  const prefix = employerScope(actor);
  const run = await latestDoneRun();
  if (!run) return { run, total: 0, persons: [] };
  const p = Math.max(1, Math.floor(page) || 1);
  const rows = await employerPersonRows(pool(), run.id, prefix, { employer, limit: PERSONS_PAGE_SIZE, offset: (p - 1) * PERSONS_PAGE_SIZE });
  const total = rows[0]?.total ?? (p > 1 ? (await employerPersonRows(pool(), run.id, prefix, { employer, limit: 1 }))[0]?.total ?? 0 : 0);
  const codes = [...new Set(rows.map((r) => r.region_code).filter((c): c is string => !!c))];
  const names = new Map((await pool().query<{ code: string; name: string }>(`SELECT code, name FROM region WHERE code = ANY($1::text[])`, [codes])).rows.map((r) => [r.code, r.name]));
  return { run, total, persons: rows.map((r) => ({ maskedId: maskIdNumber(r.id_number), name: r.name, regionCode: r.region_code, regionName: r.region_code ? (names.get(r.region_code) ?? null) : null, missingSchemes: r.missing_schemes, source: r.source })) };
}

export const exportInput = z.object({
  reason: z.string().trim().min(4, "msg:employers.export.reasonRequired").max(500, "msg:employers.export.reasonTooLong"),
  employer: z.string().trim().max(500).optional().transform((v) => (v ? v : null)),
});
export type ExportInput = z.input<typeof exportInput>;

/**
 * The export for the inspection authority: every person (full ID and name) behind the employers in
 * the actor's scope, or behind one employer. Needs a stated reason; written to the audit log with the
 * reason, the filters and the row count before any row leaves the server.
 */
export async function employersExport(actor: Actor, raw: ExportInput): Promise<{ runId: number; rows: EmployerPersonRow[] }> {
  const prefix = employerScope(actor, "outcomes:employers-export");
  const input = exportInput.parse(raw);
  const run = await latestDoneRun();
  if (!run) throw new DomainError("employers.noRun");
  const rows = await employerPersonRows(pool(), run.id, prefix, { employer: input.employer });
  await writeAudit(actor, {
    action: "outcomes.employers.export",
    entity: "comparison_run",
    entityId: String(run.id),
    regionCode: actor.regionCode,
    reason: input.reason,
    detail: { format: "xlsx", employer: input.employer, scope: prefix ?? "city", rows: rows.length },
  });
  return { runId: run.id, rows };
}
