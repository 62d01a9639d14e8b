import { expect, type Page, test } from "@playwright/test";
import { AUDIT_ACTIONS } from "../../lib/audit/labels";
import { CATEGORIES, FLAGS } from "../../lib/comparison/codes";
import { IMPORT_REFUSALS } from "../../lib/import/import-error";
import { ROLES } from "../../lib/policy/permissions";
import { TASK_STATES } from "../../lib/review/workflow";
import { DECLARANT, ELSEWHERE, EMPLOYMENT, EMPLOYMENT_PLACE, MEDICAL, NOT_INSURED_REASONS, OCCUPATIONS, PENSION, VISIT_OUTCOMES } from "../../lib/survey/schema";
import { query, signIn } from "./fixtures";

// Issue 13 "Chinese everywhere, names not codes": every role walks every page its navigation offers,
// plus one detail page of each kind reachable from those pages (a task, a review, a registry person,
// a comparison run, an import batch, the print views), and no internal code may show in the visible
// text: no category, flag, task state, survey answer code, import refusal, audit action or role code,
// and no region code of the demo tree without the region's name next to it.

const ROLE_LOGINS = ["city", "tianning", "qinglong", "surveyor1", "admin", "auditor"];

const WORD_CODES = [...new Set<string>([
  ...CATEGORIES, ...FLAGS, ...TASK_STATES, ...NOT_INSURED_REASONS, ...EMPLOYMENT, ...EMPLOYMENT_PLACE, ...OCCUPATIONS,
  ...PENSION, ...MEDICAL, ...ELSEWHERE, ...DECLARANT, ...VISIT_OUTCOMES, ...IMPORT_REFUSALS, ...AUDIT_ACTIONS, ...ROLES,
])];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
/** A code standing alone: not part of a longer identifier, word or dotted name. */
const RAW_CODE = new RegExp(`(?<![\\w.-])(${WORD_CODES.map(escape).join("|")})(?![\\w-]|\\.\\w)`, "g");
/** 6-, 9- and 12-digit runs standing alone (a masked ID's leading digits are followed by '*'). */
const DIGITS = /(?<![\d*])(\d{12}|\d{9}|\d{6})(?![\d*])/g;
/** How far from a region code its name must stand to count as "next to it". */
const NEAR = 40;

/** Path shape for "one page of each kind": digits and opaque keys become ':id', the query is dropped. */
function shape(path: string): string {
  return path.split("?")[0].split("/").map((s) => (/^\d+$/.test(s) || (/\d/.test(s) && s.length > 8) ? ":id" : s)).join("/");
}

function skip(href: string): boolean {
  return /\/export|\/api\/|format=|\/sign-out|\.(csv|xlsx|zip)(\?|$)|\/account\/password/.test(href);
}

async function rawCodes(page: Page, regions: Map<string, string>): Promise<string[]> {
  const text = await page.innerText("body");
  const found: string[] = [];
  for (const m of text.matchAll(RAW_CODE)) found.push(`${m[1]} in “${text.slice(Math.max(0, m.index - 20), m.index + m[1].length + 20).replace(/\s+/g, " ")}”`);
  for (const m of text.matchAll(DIGITS)) {
    const name = regions.get(m[1]);
    if (name === undefined) continue;
    const around = text.slice(Math.max(0, m.index - NEAR), m.index + m[1].length + NEAR);
    if (!around.includes(name)) found.push(`region ${m[1]} (${name}) without its name in “${around.replace(/\s+/g, " ")}”`);
  }
  return found;
}

async function links(page: Page, selector: string): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const hrefs = await page.locator(selector).evaluateAll((as) => as.filter((a) => !a.hasAttribute("download")).map((a) => (a as HTMLAnchorElement).href));
  return hrefs.filter((h) => h.startsWith(origin)).map((h) => h.slice(origin.length)).filter((h) => h !== "" && !skip(h));
}

for (const login of ROLE_LOGINS) {
  test(`${login}: no raw code on any page or print view`, async ({ page }) => {
    test.setTimeout(600_000);
    const regions = new Map((await query<{ code: string; name: string }>(`SELECT code, name FROM region WHERE length(code) IN (6, 9, 12)`)).map((r) => [r.code, r.name]));
    await signIn(page, login);
    const nav = [...new Set(["/", ...(await links(page, 'nav[aria-label="main"] a'))])];
    const seenShapes = new Set<string>();
    const queue: { path: string; depth: number }[] = nav.map((path) => ({ path, depth: 0 }));
    for (const p of nav) seenShapes.add(shape(p));
    const failures: string[] = [];
    const visited: string[] = [];
    while (queue.length > 0 && visited.length < 60) {
      const { path, depth } = queue.shift()!;
      const response = await page.goto(path);
      visited.push(path);
      expect(response?.status(), `${login} ${path}`).toBeLessThan(400);
      for (const f of await rawCodes(page, regions)) failures.push(`${path}: ${f}`);
      if (depth >= 2) continue;
      for (const href of await links(page, "main a, body > a, [data-print] a")) {
        const key = shape(href);
        if (seenShapes.has(key) || nav.includes(href)) continue;
        seenShapes.add(key);
        queue.push({ path: href, depth: depth + 1 });
      }
    }
    console.log(`${login}: ${visited.length} pages\n  ${visited.join("\n  ")}`);
    expect(failures, `${login}: raw codes on ${visited.length} pages`).toEqual([]);
  });
}
