import { levelOfCode, type TRegionLevel } from "./codes";

export interface RegionRow {
  code: string;
  name: string;
  level: TRegionLevel;
  parentCode: string | null;
}

/** Parses the simple `regions` CSV shipped with the project (code,name,parent_code; no quoting). */
export function parseRegionCsv(text: string): RegionRow[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.slice(1).map((line, i) => {
    const [code, name, parent] = line.split(",").map((v) => v.trim());
    const level = levelOfCode(code);
    if (!level) throw new Error(`regions CSV line ${i + 2}: bad code ${code}`);
    return { code, name, level, parentCode: parent || null };
  });
}
