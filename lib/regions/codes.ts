// 行政区划代码: 12 digits = 6 (district) + 3 (street/town) + 3 (community/village); the city is the
// 4-digit prefix and the province the 2-digit prefix (domain.md "Regions"). Because codes nest by
// prefix, "inside a region" is "the code starts with the region's code".

export const REGION_LEVELS = ["CITY", "DISTRICT", "STREET", "COMMUNITY"] as const;
export type TRegionLevel = (typeof REGION_LEVELS)[number];

const LEVEL_BY_LENGTH: Record<number, TRegionLevel> = { 4: "CITY", 6: "DISTRICT", 9: "STREET", 12: "COMMUNITY" };
const LENGTH_BY_LEVEL: Record<TRegionLevel, number> = { CITY: 4, DISTRICT: 6, STREET: 9, COMMUNITY: 12 };

export function levelOfCode(code: string): TRegionLevel | null {
  return /^\d+$/.test(code) ? (LEVEL_BY_LENGTH[code.length] ?? null) : null;
}

export function codeLength(level: TRegionLevel): number {
  return LENGTH_BY_LEVEL[level];
}

/** The code's parent by structure (community → street → district → city); null for a city. */
export function structuralParent(code: string): string | null {
  switch (code.length) {
    case 12:
      return code.slice(0, 9);
    case 9:
      return code.slice(0, 6);
    case 6:
      return code.slice(0, 4);
    default:
      return null;
  }
}

/** True when `code` is `ancestor` itself or lies below it. */
export function isWithin(code: string, ancestor: string): boolean {
  return code.startsWith(ancestor);
}

export function provinceOf(code: string): string {
  return code.slice(0, 2);
}
