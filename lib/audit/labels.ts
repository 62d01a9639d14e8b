import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { measureByCode } from "@/lib/stats/measures";

// What the auditor reads instead of codes: a Chinese label for every action the portal writes to
// the audit log (catalogue keys audit.action.<code>), and for the keys of the rows' details.
// tests/unit/audit-labels.test.ts scans the sources for every action written, so that a new one
// cannot go without its label.

export const AUDIT_ACTIONS = [
  "auth.sign-in",
  "auth.sign-in-failed",
  "person.view",
  "print.form",
  "print.summary",
  "registry.search",
  "task.list",
  "review.queue",
  "review.export",
  "survey.list",
  "survey.export",
  "change.list",
  "comparison.list",
  "comparison.run",
  "comparison.export",
  "import.run",
  "import.invalid-list",
  "import.export-invalid",
  "access.refused",
  "task.release",
  "task.assign",
  "task.save_draft",
  "task.submit",
  "task.approve",
  "task.return",
  "task.close_unreachable",
  "task.reopen",
  "task.visit",
  "task.add-newly-found",
  "task.add-newly-found-refused",
  "team.create",
  "change.request",
  "change.approve",
  "change.return",
  "user.create",
  "user.change-post",
  "user.reset-password",
  "user.disable",
  "user.enable",
  "audit.list",
  "audit.export",
  "auth.lockout",
  "auth.sign-in-locked",
  "auth.sign-out",
  "auth.idle-timeout",
  "user.request-create",
  "user.request-post",
  "user.request-reset",
  "user.confirm-request",
  "user.refuse-request",
  "user.withdraw-request",
  "user.change-own-password",
  "stats.export-persons",
  "stats.persons.list",
  "stats.report-print",
  "stats.report-export",
  "stats.analysis-save",
  "stats.analysis-submit",
  "assessment.deadline",
  "assessment.weights",
  "outcomes.employers.export",
  "outreach.contact",
  "outreach.export",
  "outreach.view",
  "outreach.print",
  "quality.spot-check.draw",
  "quality.spot-check.record",
  "task.spot_check_reopen",
  "task.export",
  "roster.print",
  "roster.export",
  "summary.export",
  "registry.list",
  "registry.export",
  "change.export",
  "comparison.list-export",
  "user.list",
  "user.export",
  "region.list",
  "region.export",
  "import.list",
  "import.list-export",
] as const;

export function auditActionLabel(t: Translate, action: string): string {
  const key = `audit.action.${action}` as TMessageKey;
  const label = t(key);
  // An action recorded by a newer version than this catalogue: say so in words, with its code.
  return label === key ? t("audit.action.other", { code: action }) : label;
}

/** The kinds of record an audit row names, by the `entity` the code writes (label: audit.entity.*). */
export const AUDIT_ENTITIES = [
  "assessment_weight", "audit_log", "change_request", "comparison_run", "import_batch", "outreach_entry", "person",
  "region", "spot_check", "spot_check_item", "stats_analysis_report", "survey_task", "survey_team", "user",
] as const;

/** "调查任务 123": the record an audit row is about, its kind in words and its key. */
export function auditEntityText(t: Translate, entity: string | null, entityId: string | null): string {
  if (!entity) return entityId ?? "";
  const key = `audit.entity.${entity}` as TMessageKey;
  const label = t(key);
  return [label === key ? t("audit.entity.other") : label, entityId].filter(Boolean).join(" ");
}

/** A detail key in words ("rows" → 行数), or the key itself. */
export function auditKeyLabel(t: Translate, key: string): string {
  const k = `audit.key.${key}` as TMessageKey;
  const label = t(k);
  // A key that is itself a code (counts by category: { PARTIAL: 379 }) reads as its label.
  return label === k ? codeLabel(t, key) : label;
}

/** A detail object as "key: value" lines, nested objects flattened ("filters · states: …"). */
export function auditDetailLines(t: Translate, detail: unknown, regionNames?: ReadonlyMap<string, string>, prefix = ""): { key: string; value: string }[] {
  if (detail === null || detail === undefined) return [];
  if (typeof detail !== "object" || Array.isArray(detail)) return [{ key: prefix || t("audit.detail"), value: valueText(detail, t, "", regionNames) }];
  const out: { key: string; value: string }[] = [];
  for (const [k, v] of Object.entries(detail as Record<string, unknown>)) {
    const key = prefix ? `${prefix} · ${auditKeyLabel(t, k)}` : auditKeyLabel(t, k);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) out.push(...auditDetailLines(t, v, regionNames, key));
    else if (v !== undefined) out.push({ key, value: valueText(v, t, k, regionNames) });
  }
  return out;
}

const REGION_CODE = /^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/;

/** Every string in a detail shaped like a region code (to look their names up for auditDetailLines). */
export function regionCodesIn(detail: unknown, into = new Set<string>()): Set<string> {
  if (typeof detail === "string") {
    if (REGION_CODE.test(detail)) into.add(detail);
  } else if (Array.isArray(detail)) for (const v of detail) regionCodesIn(v, into);
  else if (detail !== null && typeof detail === "object") for (const v of Object.values(detail)) regionCodesIn(v, into);
  return into;
}

/** Catalogue families a detail value may be a code of (task states, categories, flags, roles). */
const CODE_KEYS = ["task.state", "registry.category", "registry.flag", "role", "progress.col", "status", "change.state", "level", "comparison.status", "comparison.basis", "import.kind", "import.status", "lists.users.state"];

/** A code's catalogue label from the first family that has one, or the text itself. */
function codeLabel(t: Translate, v: string): string {
  // an audit action named in a detail (the auditor's own filters, recorded by audit.list)
  if ((AUDIT_ACTIONS as readonly string[]).includes(v)) return auditActionLabel(t, v);
  if (/^[A-Za-z_]+$/.test(v)) {
    for (const family of CODE_KEYS) {
      const key = `${family}.${v}` as TMessageKey;
      const label = t(key);
      if (label !== key) return label;
    }
  }
  return v;
}

function valueText(v: unknown, t?: Translate, key = "", regionNames?: ReadonlyMap<string, string>): string {
  if (Array.isArray(v)) return v.map((x) => valueText(x, t, key, regionNames)).join("、");
  // a region by its name, with its code (the auditor may search by either)
  if (typeof v === "string" && regionNames?.has(v)) return `${regionNames.get(v)}（${v}）`;
  // a statistics measure (the person list's figure) by its label
  if (t && key === "measure" && typeof v === "string" && measureByCode(v)) return t(measureByCode(v)!.label as TMessageKey);
  if (t && typeof v === "string") return v === "" ? "—" : codeLabel(t, v);
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
