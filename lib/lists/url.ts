// Query strings of the list pages: the filters kept across pages and into the export links.

export type Search = Record<string, string | string[] | undefined>;

/** Only the first value of a repeated parameter. */
export function single(sp: Search): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** `path?k=v…` with empty values left out. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** A 1-based page number from `?page=` (anything else: 1). */
export function pageParam(raw: string | undefined): number {
  return raw && /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
}

/** One of `values`, or undefined. */
export function oneOf<T extends string>(values: readonly T[], raw: string | undefined): T | undefined {
  return values.includes(raw as T) ? (raw as T) : undefined;
}

/** A region code parameter (4–12 digits) or undefined. */
export function regionParam(raw: string | undefined): string | undefined {
  return raw && /^\d{4,12}$/.test(raw) ? raw : undefined;
}

/** A yyyy-mm-dd parameter or undefined. */
export function dateParam(raw: string | undefined): string | undefined {
  return raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : undefined;
}
