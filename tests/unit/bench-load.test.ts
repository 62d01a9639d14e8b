import { describe, expect, it } from "vitest";
import { actionResult } from "@/lib/cli/bench-load";

// The load benchmark counts a submission as done only when the action's own answer says ok: the
// value is read from the React Flight response the way the browser's router reads it (row 0 names
// the row holding the action's return value).

describe("actionResult", () => {
  it("reads the action's return value from the row named by row 0", () => {
    const body = '0:{"a":"$@1","q":"","i":false,"b":"-bc8zIICv9rGFTUi7S8Cy"}\n1:{"ok":true}\n';
    expect(actionResult(body)).toEqual({ ok: true });
  });

  it("returns an action's refusal as it is", () => {
    const body = '0:{"a":"$@2","b":"x"}\n2:{"ok":false,"message":"请修改标红的项目","fieldErrors":{"surveyors":"调查人须为 2–3 人"}}\n';
    expect(actionResult(body)).toEqual({ ok: false, message: "请修改标红的项目", fieldErrors: { surveyors: "调查人须为 2–3 人" } });
  });

  it("is null for an HTML page, a broken row or a missing reference", () => {
    expect(actionResult("<!DOCTYPE html><html></html>")).toBeNull();
    expect(actionResult('0:{"a":"$@1"\n1:{"ok":true}')).toBeNull();
    expect(actionResult('0:{"b":"x"}\n1:{"ok":true}')).toBeNull();
  });
});
