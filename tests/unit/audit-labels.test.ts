import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, auditActionLabel, auditDetailLines, auditEntityText } from "@/lib/audit/labels";
import { CHANGE_TRANSITIONS } from "@/lib/changes/workflow";
import { translator } from "@/lib/i18n/messages";
import { TASK_EVENTS } from "@/lib/review/workflow";

// The auditor reads Chinese labels, not codes: every action the sources write to audit_log has one.

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(rel);
    return /\.(ts|tsx|sql)$/.test(e.name) ? [rel] : [];
  });
}

/** Every literal action written: `action: "x"`, `action: user.active ? "a" : "b"`, SQL `'x'` into audit_log. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sources("lib"), ...sources("app")]) {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const m of text.matchAll(/action: ([^,}]+)[,}]/g)) for (const s of m[1].matchAll(/"([a-z][a-z._-]+\.[a-z._-]+)"/g)) found.add(s[1]);
    for (const m of text.matchAll(/INSERT INTO audit_log[^;]*?'([a-z]+\.[a-z._-]+)'/g)) found.add(m[1]);
    for (const m of text.matchAll(/auditRead\(\w+, "([a-z-]+\.[a-z.-]+)"/g)) found.add(m[1]);
  }
  // Template actions: task.<event> (lib/review/transition.ts) and change.<decision>.
  for (const e of TASK_EVENTS) found.add(`task.${e}`);
  for (const c of CHANGE_TRANSITIONS) found.add(`change.${c.event}`);
  return found;
}

describe("audit action labels", () => {
  const zh = translator("zh");
  it("every action the code writes has a Chinese label and is offered in the filter", () => {
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(25);
    for (const action of written) {
      expect(auditActionLabel(zh, action), action).not.toContain(action);
      expect(AUDIT_ACTIONS as readonly string[], action).toContain(action);
    }
  });
  it("every kind of record the code names in an audit row reads in words", () => {
    const written = new Set<string>();
    for (const file of [...sources("lib"), ...sources("app")]) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const m of text.matchAll(/entity: "([a-z_]+)"/g)) written.add(m[1]);
      for (const m of text.matchAll(/INSERT INTO audit_log \(([^)]*)\)[^;]*?VALUES[^;]*?'([a-z_]+)'/g)) if (m[1].includes("entity")) written.add(m[2]);
    }
    expect(written.size).toBeGreaterThan(10);
    for (const entity of written) {
      expect(AUDIT_ENTITIES as readonly string[], entity).toContain(entity);
      expect(auditEntityText(zh, entity, "7"), entity).not.toContain(entity);
    }
    expect(auditEntityText(zh, "survey_task", "123")).toBe("调查任务 123");
    expect(auditEntityText(zh, "future_kind", "1")).toBe("其他记录 1");
  });
  it("an unknown action is named as such, with its code", () => {
    expect(auditActionLabel(zh, "future.thing")).toBe("其他操作（future.thing）");
    expect(auditActionLabel(zh, "person.view")).toBe("查看人员信息");
  });
  it("details read as key: value in Chinese, nested filters flattened", () => {
    expect(auditDetailLines(zh, { filters: { states: ["ASSIGNED", "DRAFT"] }, rows: 3, unmasked: true })).toEqual([
      { key: "筛选条件 · 状态", value: "已分配、填报中" },
      { key: "行数", value: "3" },
      { key: "完整号码", value: "是" },
    ]);
  });

  it("codes in a row's details read as labels: task states, categories (issue 13)", () => {
    const t = translator("zh");
    const lines = auditDetailLines(t, { filters: { states: ["ASSIGNED", "SUBMITTED"], category: "NOT_INSURED" } });
    expect(lines.map((l) => l.value)).toEqual([`${t("task.state.ASSIGNED")}、${t("task.state.SUBMITTED")}`, t("registry.category.NOT_INSURED")]);
    expect(lines.map((l) => l.value).join(" ")).not.toMatch(/ASSIGNED|NOT_INSURED/);
    expect(auditDetailLines(t, { byCategory: { PARTIAL: 3 } })[0].key).toContain(t("registry.category.PARTIAL"));
  });

  it("an audit action named in a detail (the auditor's own filter) reads as its label", () => {
    const t = translator("zh");
    const [line] = auditDetailLines(t, { filters: { action: "outcomes.employers.export" } });
    expect(line.value).toBe(auditActionLabel(t, "outcomes.employers.export"));
    expect(line.value).not.toContain("outcomes.employers.export");
  });
});

