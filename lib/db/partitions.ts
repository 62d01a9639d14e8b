import pg from "pg";
import { actAsOwnerOf } from "./roles";

// Tables partitioned by a load: an import batch's records (`<kind>_record_<batch id>`, migration
// record_partitions) and a comparison run's result rows (`comparison_result_<run id>`, migration
// result_partitions). The loader creates the partition's table in its own transaction, fills it with
// COPY FREEZE (rows written once, already frozen, and without WAL when wal_level is minimal) and
// attaches it just before it commits; a failed load takes the table with its rollback. Attaching
// takes only a SHARE UPDATE EXCLUSIVE lock on the parent: readers do not wait for it.

const quoteIdent = pg.escapeIdentifier;

export interface PartitionOf {
  /** The partitioned table. */
  parent: string;
  /** Its partition key column (an integer). */
  column: string;
  /** The parent's primary key columns, key column first. */
  primaryKey: string[];
}

export const RECORD_PARTITIONS = (table: string): PartitionOf => ({ parent: table, column: "batch_id", primaryKey: ["batch_id", "line_no"] });
export const RESULT_PARTITIONS: PartitionOf = { parent: "comparison_result", column: "run_id", primaryKey: ["run_id", "id_number"] };

/** The partition's table: `<parent>_<value>`. */
export function partitionTable(p: PartitionOf, value: number): string {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`bad partition value ${value}`);
  return quoteIdent(`${p.parent}_${value}`);
}

/**
 * Creates the partition's empty table, shaped like the parent, in the caller's transaction (not yet
 * attached). The CHECK is the partition's bound: with it, attaching need not scan the rows to prove
 * they belong. The primary key is kept row by row during the load: loaders send rows in key order,
 * so each goes to the index's right edge, cheaper than building it over the loaded rows afterwards.
 */
export async function createPartitionTable(client: pg.ClientBase, p: PartitionOf, value: number): Promise<void> {
  // The partition belongs to the parent's owner (the bulk role), never to the login role.
  await actAsOwnerOf(client, p.parent);
  await client.query(
    `CREATE TABLE ${partitionTable(p, value)} (LIKE ${quoteIdent(p.parent)} INCLUDING DEFAULTS, CHECK (${quoteIdent(p.column)} = ${value}), PRIMARY KEY (${p.primaryKey.map(quoteIdent).join(", ")}))`,
  );
}

/** Attaches the table as the partition for `value` (the parent's other indexes are built on it then). */
export async function attachPartitionTable(client: pg.ClientBase, p: PartitionOf, value: number): Promise<void> {
  await client.query(`ALTER TABLE ${quoteIdent(p.parent)} ATTACH PARTITION ${partitionTable(p, value)} FOR VALUES IN (${value})`);
}
