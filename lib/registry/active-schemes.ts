import { prisma } from "@/lib/db/client";
import { type Actor, requirePermission } from "@/lib/policy";

// A person's active schemes (参保缴费, status 1) for their registry page: each scheme with when it
// started, the unit and the place of insurance as the active batches know them — the city's
// enrolment records and the records of insurance elsewhere (异地参保) — and, for a scheme the last
// comparison run found active but no record details, the scheme alone. The caller has already
// opened the person in scope (lib/registry/queries.ts getPersonPage, audited).

export interface ActiveScheme {
  scheme: string;
  since: Date | null;
  employer: string | null;
  placeCode: string | null;
  placeName: string | null;
  elsewhere: boolean;
}

export async function activeSchemes(actor: Actor, person: { idNumber: string; lastRunId: number | null }): Promise<ActiveScheme[]> {
  requirePermission(actor, "person:view");
  const rows = await prisma().$queryRaw<{ scheme: string; since: Date | null; employer: string | null; place_code: string | null; place_name: string | null; elsewhere: boolean }[]>`
    SELECT e.scheme, min(e.start_date) AS since, e.employer, e.region_code AS place_code, g.name AS place_name, false AS elsewhere
      FROM enrolment_record e JOIN import_batch b ON b.id = e.batch_id AND b.status = 'ACTIVE'
      LEFT JOIN region g ON g.code = e.region_code
     WHERE e.id_number = ${person.idNumber} AND e.status = 1
     GROUP BY e.scheme, e.employer, e.region_code, g.name
    UNION ALL
    SELECT x.scheme, NULL, NULL, x.region_code, g.name, true
      FROM elsewhere_record x JOIN import_batch b ON b.id = x.batch_id AND b.status = 'ACTIVE'
      LEFT JOIN region g ON g.code = x.region_code
     WHERE x.id_number = ${person.idNumber} AND x.status = 1
    UNION ALL
    SELECT s, NULL, NULL, NULL, NULL, false
      FROM comparison_result r CROSS JOIN LATERAL unnest(r.active_schemes) AS s
     WHERE r.run_id = ${person.lastRunId ?? -1} AND r.id_number = ${person.idNumber}
       AND NOT EXISTS (SELECT 1 FROM enrolment_record e JOIN import_batch b ON b.id = e.batch_id AND b.status = 'ACTIVE'
                        WHERE e.id_number = r.id_number AND e.scheme = s AND e.status = 1)
       AND NOT EXISTS (SELECT 1 FROM elsewhere_record x JOIN import_batch b ON b.id = x.batch_id AND b.status = 'ACTIVE'
                        WHERE x.id_number = r.id_number AND x.scheme = s AND x.status = 1)
    ORDER BY 1, 2 NULLS LAST`;
  return rows.map((r) => ({ scheme: r.scheme, since: r.since, employer: r.employer, placeCode: r.place_code, placeName: r.place_name, elsewhere: r.elsewhere }));
}
