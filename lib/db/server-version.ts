import type pg from "pg";
import { translator } from "@/lib/i18n/messages";

// The oldest PostgreSQL the portal runs on. 15 is what Debian 12 ships, and what many data centres
// run; the comparison's SQL keeps to what 15 has (no any_value(), which came in 16). An older
// server is refused before anything is written, with the version found and the version needed.

export const MIN_SERVER_VERSION_NUM = 150000;
export const MIN_SERVER_VERSION = "15";

export class UnsupportedServerError extends Error {
  constructor(public readonly found: string) {
    const t = translator("zh");
    const en = translator("en");
    super(`${t("db.version.unsupported", { found, needed: MIN_SERVER_VERSION })}\n${en("db.version.unsupported", { found, needed: MIN_SERVER_VERSION })}`);
    this.name = "UnsupportedServerError";
  }
}

/** Refuses a server older than MIN_SERVER_VERSION (server_version_num, e.g. 140011 for 14.11). */
export function checkServerVersion(versionNum: number, versionText: string): void {
  if (!(versionNum >= MIN_SERVER_VERSION_NUM)) throw new UnsupportedServerError(versionText);
}

/** Asks the connected server its version and refuses an older one. */
export async function assertSupportedServer(client: pg.Client | pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ num: string; text: string }>(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text`);
  checkServerVersion(Number(rows[0].num), rows[0].text.split(" ")[0]);
}
