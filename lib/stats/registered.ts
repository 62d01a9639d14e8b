import type { Tx } from "@/lib/db/client";
import { MEASURES, NO_REGION, STATS_ROWS_SQL } from "./measures";

// statistics.md §2: "`registered` moves when a district approves (审定) a survey; the other measures
// belong to the run and move only with the next run". The run writes its measures (stats_measure);
// a registry change that can move a measure of a person — the district approval storing a survey in
// the registry — is wrapped in keepStatsCurrent, in the same transaction: the person's STATS ROW is
// judged by every measure's condition before and after the change, and the latest run's figures of
// the person's statistics region move by the difference. Only `registered` reads the registry, so
// only it can move; the difference is taken over all measures so that no rule is restated here.
// The latest run is the last one with statistics (a run writes them in its own transaction).

async function personMeasures(tx: Tx, runId: number, idNumber: string): Promise<{ region: string; values: boolean[] } | null> {
  const cols = MEASURES.map((m, i) => `(${m.where}) AS m${i}`).join(", ");
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT coalesce(count_region_code, '${NO_REGION}') AS region, ${cols}
       FROM (${STATS_ROWS_SQL} WHERE r.run_id = $1 AND r.id_number = $2) s`,
    runId,
    idNumber,
  );
  const row = rows[0];
  if (!row) return null;
  return { region: String(row.region), values: MEASURES.map((_, i) => row[`m${i}`] === true) };
}

export async function latestStatsRunId(tx: Pick<Tx, "$queryRawUnsafe">): Promise<number | null> {
  const rows = await tx.$queryRawUnsafe<{ id: number | null }[]>(`SELECT max(run_id) AS id FROM stats_measure`);
  return rows[0]?.id ?? null;
}

/** Runs `change` (a registry change of person `idNumber`) and moves the latest run's figures with it. */
export async function keepStatsCurrent<T>(tx: Tx, idNumber: string, change: () => Promise<T>): Promise<T> {
  const runId = await latestStatsRunId(tx);
  const before = runId === null ? null : await personMeasures(tx, runId, idNumber);
  const result = await change();
  if (runId === null || before === null) return result; // not a person of the latest run
  const after = await personMeasures(tx, runId, idNumber);
  if (!after) return result;
  for (let i = 0; i < MEASURES.length; i++) {
    const delta = Number(after.values[i]) - Number(before.values[i]);
    if (delta === 0) continue;
    // the row exists for every region with persons and for '-' (the run writes them)
    await tx.$executeRawUnsafe(
      `INSERT INTO stats_measure (run_id, region_code, measure, value) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, region_code, measure) DO UPDATE SET value = stats_measure.value + EXCLUDED.value`,
      runId,
      after.region,
      MEASURES[i].code,
      delta,
    );
  }
  return result;
}
