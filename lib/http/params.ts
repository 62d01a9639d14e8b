// URL parameters from the outside world. A page number or record id that is not a small
// non-negative integer, or a path segment with a malformed percent escape, must answer a normal
// page or "not found" — never reach the database as 1e20 (a 500 from an Int column overflow) nor
// throw a URIError. Every page and route handler reads its parameters through these helpers.

/** PostgreSQL `integer` upper bound: ids beyond it cannot exist. */
const MAX_INT4 = 2_147_483_647;
/** No list is paged this far; a larger page answers the first page. */
export const MAX_PAGE = 100_000;

/** A record id from a path segment ("42"), or null when it cannot be one (→ not found). */
export function parseId(raw: string | string[] | undefined | null): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_INT4 ? n : null;
}

/** A 0-based page number from `?page=`; anything else (1e20, -1, "abc", "1.5") is page 0. */
export function parsePage(raw: string | string[] | undefined | null): number {
  if (typeof raw !== "string" || !/^\d{1,6}$/.test(raw)) return 0;
  return Math.min(Number(raw), MAX_PAGE);
}

/** decodeURIComponent that answers null for a malformed escape (e.g. "%E0%A4%A") instead of throwing. */
export function safeDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Whether every percent escape of a URL path decodes (the proxy answers 400 otherwise). */
export function isDecodablePath(pathname: string): boolean {
  return pathname.split("/").every((segment) => safeDecode(segment) !== null);
}
