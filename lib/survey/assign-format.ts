import type { Cell } from "@/lib/http/table-export";
import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { maskIdNumber } from "@/lib/ids/id-number";
import { genderLabel, taskReasonLabel, valueLabel } from "@/lib/registry/labels";
import type { StreetTaskRow } from "./assign";
import type { SummaryRow } from "./print";

// The cells of the street's task list export and of the survey roster (花名册): labels for people,
// codes in their own columns whose headers end in _code (for a machine), IDs masked.

const stateLabel = (t: Translate, r: StreetTaskRow) => (r.state === "PENDING" && !r.released ? t("task.notReleased") : t(`task.state.${r.state}` as TMessageKey));
const stateCode = (r: StreetTaskRow) => (r.state === "PENDING" && !r.released ? "UNRELEASED" : r.state);

export function taskListHeader(t: Translate): string[] {
  return [t("assign.col.taskNo"), t("assign.col.name"), t("assign.col.id"), t("assign.col.community"), "community_code", t("assign.col.address"), t("assign.col.category"), "category_code", t("assign.col.state"), "state_code", t("assign.col.team")];
}

export function taskListCells(t: Translate, r: StreetTaskRow): Cell[] {
  return [r.id, r.name, r.idMasked, r.regionName, r.regionCode, r.address, taskReasonLabel(t, r.reason, r.category), r.category, stateLabel(t, r), stateCode(r), r.teamName];
}

export function rosterHeader(t: Translate): string[] {
  return [t("print.col.no"), t("assign.col.taskNo"), t("assign.col.name"), t("assign.col.gender"), t("assign.col.id"), t("assign.col.hukouAddress"), t("assign.col.residenceAddress"), t("assign.col.phone"), t("assign.col.reason"), "category_code", t("assign.col.team"), t("assign.col.state"), "state_code"];
}

export function rosterCells(t: Translate, r: StreetTaskRow, no: number): Cell[] {
  return [no, r.id, r.name, genderLabel(t, r.gender), r.idMasked, r.hukouAddress, r.residenceAddress, r.phone, taskReasonLabel(t, r.reason, r.category), r.category, r.teamName, stateLabel(t, r), stateCode(r)];
}

/** The summary sheet's (汇总表) export: the printed sheet's columns, with the codes beside their labels. */
export function summaryHeader(t: Translate): string[] {
  return [t("print.col.no"), t("assign.col.taskNo"), t("survey.name"), t("survey.gender"), t("survey.idNumber"), t("survey.hukouAddress"), t("registry.phone"), t("assign.col.category"), "category_code", t("survey.employment"), "employment_code", t("survey.pension"), "pension_code", t("survey.medical"), "medical_code", t("survey.reasons"), "reasons_code", t("print.col.status"), "state_code"];
}

export function summaryCells(t: Translate, r: SummaryRow): Cell[] {
  return [
    r.no,
    r.taskId,
    r.name,
    genderLabel(t, r.gender),
    maskIdNumber(r.idNumber),
    r.hukouAddress,
    r.phone,
    r.category ? taskReasonLabel(t, r.reason ?? r.category, r.category) : "",
    r.category,
    valueLabel(t, "employment", r.employment),
    r.employment,
    valueLabel(t, "pension", r.pension),
    r.pension,
    valueLabel(t, "medical", r.medical),
    r.medical,
    valueLabel(t, "reasons", r.reasons.length ? JSON.stringify(r.reasons) : null),
    r.reasons.join(";"),
    r.state ? t(`task.state.${r.state}` as TMessageKey) : "",
    r.state,
  ];
}
