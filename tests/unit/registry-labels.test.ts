import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/messages";
import { categoryLabel, fieldLabel, flagLabel, surveyDataEntries, taskReasonLabel, valueLabel } from "@/lib/registry/labels";

// The person page and the printed forms show stored codes with the catalogue's labels.
const t = translator("zh");

describe("registry labels", () => {
  it("history fields written by the survey approval and by change requests have labels", () => {
    expect(fieldLabel(t, "survey.employment")).toBe("就业状态");
    expect(fieldLabel(t, "phone")).toBe("联系电话");
    expect(fieldLabel(t, "hukouType")).toBe("户口性质");
    expect(fieldLabel(t, "status")).toBe("登记状态");
    expect(fieldLabel(t, "unknownField")).toBe("unknownField");
  });

  it("stored values show as their options: enums, reasons (JSON), booleans, gender, status", () => {
    expect(valueLabel(t, "survey.employment", "RETIRED")).toBe("离退休或已领取养老待遇");
    expect(valueLabel(t, "survey.reasons", '["CANNOT_AFFORD","UNWILLING"]')).toBe("无力缴费、暂无参保意愿");
    expect(valueLabel(t, "survey.unemployment", "true")).toBe("是");
    expect(valueLabel(t, "gender", "2")).toBe("女");
    expect(valueLabel(t, "hukouType", "RESIDENT")).toBe("居民户口");
    expect(valueLabel(t, "status", "REGISTERED_BY_SURVEY")).toBe("调查登记");
    expect(valueLabel(t, "name", null)).toBe("");
  });

  it("comparison codes", () => {
    expect(categoryLabel(t, "PARTIAL")).toBe("未参全");
    expect(flagLabel(t, "no_medical")).toBe("未参加医疗保险");
    // history rows of a comparison: codes joined by ';'
    expect(fieldLabel(t, "flags")).toBe("比对标记");
    expect(valueLabel(t, "flags", "no_medical;no_pension")).toBe(`${flagLabel(t, "no_medical")}、${flagLabel(t, "no_pension")}`);
    expect(fieldLabel(t, "missing_schemes")).toBe("缺失险种");
    expect(valueLabel(t, "missing_schemes", "110;310")).toBe("企业职工基本养老保险、职工基本医疗保险");
  });

  it("the survey data renders in the form's order, empty answers left out", () => {
    const entries = surveyDataEntries(t, { pension: "RESIDENT", employment: "EMPLOYED", unitName: "某公司", reasons: [], surveyors: ["张洋", "徐艳"], maternity: false });
    expect(entries.map((e) => [e.label, e.value])).toEqual([
      ["就业状态", "已单位就业"],
      ["单位全称", "某公司"],
      ["养老保险", "城乡居民养老"],
      ["生育保险", "否"],
      ["调查人（2–3 人）", "张洋、徐艳"],
    ]);
  });

  it("a task's 调查原因 and a region code read as labels and names (issue 13)", () => {
    expect(taskReasonLabel(t, "NOT_INSURED", "NOT_INSURED")).toBe("未参保");
    expect(taskReasonLabel(t, "新发现人员", "NEWLY_FOUND")).toBe(t("survey.newPerson"));
    expect(taskReasonLabel(translator("en"), "PARTIAL", "PARTIAL")).toBe(translator("en")("registry.category.PARTIAL"));
    const names: Record<string, string> = { "320402002002": "天宁区 青龙街道 南苑社区" };
    const entries = surveyDataEntries(t, { residenceRegionCode: "320402002002", residenceAddress: "某路1号" }, (c) => names[c]);
    expect(entries.map((e) => e.value)).toEqual(["天宁区 青龙街道 南苑社区", "某路1号"]);
    expect(valueLabel(t, "residenceRegionCode", "320402002002", (c) => names[c])).toBe("天宁区 青龙街道 南苑社区");
  });
});
