import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { categoryLabel, flagLabel, genderLabel, hukouTypeLabel, schemeLabel, taskReasonLabel } from "@/lib/registry/labels";
import { answerList, DECLARANT, ELSEWHERE, EMPLOYMENT, EMPLOYMENT_PLACE, MEDICAL, NO_MOBILE_REASONS, NOT_INSURED_REASONS, OCCUPATIONS, PENSION, VISIT_OUTCOMES } from "@/lib/survey/schema";
import type { PrintForm, SchemeRow } from "@/lib/survey/print";

// The printed registration form (全民参保登记表, registration-form.md; layout after seed 002 附件1
// and seed 003 附件): the registry's data pre-filled, every option of what the visit collects as a
// checkbox list (ticked where a form or the registry already holds the answer), signature lines.

function Box({ checked, label }: { checked: boolean; label: string }) {
  return (
    <span className="mr-3 inline-block whitespace-nowrap">
      <span aria-hidden="true">{checked ? "☑" : "☐"}</span>
      {label}
    </span>
  );
}

function Blank({ value, width = "8em" }: { value?: string | null; width?: string }) {
  return (
    <span className="inline-block border-b border-black px-1 align-bottom" style={{ minWidth: width }}>
      {value ?? ""}
    </span>
  );
}

const cell = "border border-black px-1.5 py-[3px] align-top";
const head = `${cell} w-[6.5em] bg-slate-100 font-medium print:bg-transparent`;
const tight = "border border-black px-1 py-0 align-top leading-tight";

/** 个人参保信息: one row per scheme (seed 003 附件 二), grouped 城镇职工 / 城乡居民 / 机关事业. */
function SchemeTable({ t, rows }: { t: Translate; rows: SchemeRow[] }) {
  const groupSize = (g: SchemeRow["group"]) => rows.filter((r) => r.group === g).length;
  const place = (r: SchemeRow) => (r.place ? (r.place.kind === "city" ? (r.place.name ?? t("print.place.city")) : `${t(`print.place.${r.place.kind}`)}${r.place.name ? `（${r.place.name}）` : ""}`) : "");
  const th = `${tight} whitespace-nowrap bg-slate-100 text-center font-medium print:bg-transparent`;
  return (
    <>
      <tr>
        <td colSpan={6} className={`${cell} font-bold`}>
          {t("print.schemeTable")}
        </td>
      </tr>
      <tr>
        <td colSpan={6} className="p-0">
          <table className="w-full border-collapse text-[9.5px]" data-testid="print-schemes">
            <thead>
              <tr>
                <th className={th} colSpan={2}>
                  {t("print.col.scheme")}
                </th>
                <th className={`${th} w-[6.5em]`}>{t("print.col.firstDate")}</th>
                <th className={`${th} w-[6em]`}>{t("print.col.enrolStatus")}</th>
                <th className={th}>{t("print.col.unit")}</th>
                <th className={`${th} w-[8em]`}>{t("print.col.place")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.scheme} data-testid={`print-scheme-${r.scheme}`}>
                  {(i === 0 || rows[i - 1].group !== r.group) && (
                    <td className={`${tight} w-[4.5em] whitespace-nowrap text-center align-middle`} rowSpan={groupSize(r.group)}>
                      {t(`print.group.${r.group}`)}
                    </td>
                  )}
                  <td className={`${tight} w-[12em] whitespace-nowrap`}>{schemeLabel(t, r.scheme)}</td>
                  <td className={`${tight} whitespace-nowrap`}>{r.firstDate ?? ""}</td>
                  <td className={`${tight} whitespace-nowrap`}>{r.status === null ? t("print.enrol.none") : t(`print.enrol.${r.status}`)}</td>
                  <td className={tight}>{r.unit ?? ""}</td>
                  <td className={tight}>{place(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </td>
      </tr>
    </>
  );
}

/** 权益告知 (seed 003 附件; its 第三条: "实现对参保人员的个人权益告知"), generated from the person's schemes. */
function RightsNoticeText({ t, form }: { t: Translate; form: PrintForm }) {
  const r = form.rights;
  const list = (codes: string[]) => codes.map((c) => schemeLabel(t, c)).join("、");
  const sep = t("print.rights.sep");
  const end = t("print.rights.end");
  const clauses: string[] = [];
  if (r.unitHas.length > 0) clauses.push(t("print.rights.unitHas", { schemes: list(r.unitHas) }) + (r.unitShould.length > 0 ? sep + t("print.rights.unitShould", { schemes: list(r.unitShould) }) : "") + end);
  else if (r.unitShould.length > 0) clauses.push(t("print.rights.unitShould", { schemes: list(r.unitShould) }) + end);
  if (r.personalHas.length > 0) clauses.push(t("print.rights.personalHas", { schemes: list(r.personalHas) }) + end);
  if (r.personalCan.length > 0) clauses.push(t("print.rights.personalCan", { schemes: list(r.personalCan) }) + end);
  if (r.benefit) clauses.push(t("print.rights.benefit") + end);
  if (r.unitShould.length === 0 && r.personalCan.length === 0 && form.missingSchemes.length === 0) clauses.push(t(r.anyActive ? "print.rights.complete" : "print.rights.none") + end);
  else if (clauses.length === 0) clauses.push(t("print.rights.none") + end);
  const title = form.gender === "1" ? t("print.rights.mr") : form.gender === "2" ? t("print.rights.ms") : t("print.rights.mrms");
  return (
    <tr>
      <td className={head}>{t("print.rights")}</td>
      <td className={cell} colSpan={5} data-testid="print-rights">
        <p>
          {t("print.rights.salutation", { name: form.name, title })}
          {t("print.rights.intro")}
        </p>
        <p className="font-medium">{clauses.join("")}</p>
      </td>
    </tr>
  );
}

export function RegistrationForm({ t, form, printedAt }: { t: Translate; form: PrintForm; printedAt: string }) {
  const d = form.surveyData ?? {};
  // pension / medical: a list of answers (one string in forms kept before)
  const is = (key: string, value: string) => (key === "pension" || key === "medical" ? answerList(d[key]).includes(value) : d[key] === value);
  const has = (key: string) => d[key] === true;
  const reasons = Array.isArray(d.reasons) ? (d.reasons as string[]) : [];
  const surveyors = Array.isArray(d.surveyors) ? (d.surveyors as string[]).join("、") : null;
  const text = (key: string) => (typeof d[key] === "string" ? (d[key] as string) : null);
  const opt = (prefix: string, v: string) => t(`${prefix}.${v}` as TMessageKey);
  return (
    <article className="sheet" data-testid="print-form" data-id-number={form.idNumber}>
      <header className="mb-2 text-center">
        <h1 className="text-lg font-bold tracking-widest">{t("print.title")}</h1>
        <p className="mt-1 flex flex-wrap justify-between gap-2 text-[10px]">
          <span>
            {t("print.district")} <Blank value={form.hukouRegion.district} width="5em" /> {t("print.street")} <Blank value={form.hukouRegion.street} width="5em" /> {t("print.community")}{" "}
            <Blank value={form.hukouRegion.community} width="5em" />
          </span>
          <span>
            {form.taskId !== null && `${t("print.taskNo")} ${form.taskId} · `}
            {t("print.printedAt")} {printedAt}
          </span>
        </p>
      </header>
      <table className="w-full border-collapse text-[10.5px] leading-snug">
        <tbody>
          <tr>
            <td colSpan={6} className={`${cell} font-bold`}>
              {t("print.basic")}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.name")}</td>
            <td className={cell} data-testid="print-name">
              {form.name}
            </td>
            <td className={head}>{t("survey.gender")}</td>
            <td className={cell}>{genderLabel(t, form.gender)}</td>
            <td className={head}>{t("survey.ethnicity")}</td>
            <td className={cell}>{form.ethnicity}</td>
          </tr>
          <tr>
            <td className={head}>{t("print.idType")}</td>
            <td className={cell}>{t("print.idType.resident")}</td>
            <td className={`${head} whitespace-nowrap`}>{t("survey.idNumber")}</td>
            <td className={`${cell} whitespace-nowrap font-mono`}>{form.idNumber}</td>
            <td className={head}>{t("survey.birthDate")}</td>
            <td className={cell}>{form.birthDate}</td>
          </tr>
          <tr>
            <td className={head}>{t("survey.hukouRegion")}</td>
            <td className={cell} colSpan={3}>
              {[form.hukouRegion.district, form.hukouRegion.street, form.hukouRegion.community].filter(Boolean).join(" ")}
            </td>
            <td className={head}>{t("change.field.hukouType")}</td>
            <td className={cell}>{hukouTypeLabel(t, form.hukouType)}</td>
          </tr>
          <tr>
            <td className={head}>{t("survey.hukouAddress")}</td>
            <td className={cell} colSpan={5}>
              {form.hukouAddress}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.category")}</td>
            <td className={cell}>{categoryLabel(t, form.category)}</td>
            <td className={head}>{t("survey.flags")}</td>
            <td className={cell}>{form.flags.map((f) => flagLabel(t, f)).join("、")}</td>
            <td className={head}>{t("survey.missing")}</td>
            <td className={cell}>{form.missingSchemes.map((s) => schemeLabel(t, s)).join("、")}</td>
          </tr>
          {form.reason && (
            <tr>
              <td className={head}>{t("print.surveyReason")}</td>
              <td className={cell} colSpan={5}>
                {taskReasonLabel(t, form.reason, form.category)}
              </td>
            </tr>
          )}
          <SchemeTable t={t} rows={form.schemes} />
          <RightsNoticeText t={t} form={form} />
          <tr>
            <td className={cell} colSpan={6}>
              <div className="flex flex-wrap justify-between gap-y-1 py-0.5">
                <span>
                  {t("print.signatureHandler")}：<Blank width="9em" /> {t("print.yearMonthDay")}
                </span>
                <span data-testid="print-checker">
                  {t("print.signatureChecker")}：<Blank width="7em" /> {t("print.yearMonthDay")}
                </span>
              </div>
            </td>
          </tr>
          <tr>
            <td colSpan={6} className={`${cell} font-bold`}>
              {t("print.collected")}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.employment")}</td>
            <td className={cell} colSpan={5}>
              <div>
                <Box checked={is("employment", "EMPLOYED")} label={`1. ${opt("survey.employment", "EMPLOYED")}`} />
                {t("survey.unitName")}：<Blank value={text("unitName")} width="16em" />
              </div>
              <div>
                2. {t("print.noUnit")}：
                {EMPLOYMENT.filter((e) => e !== "EMPLOYED").map((e) => (
                  <Box key={e} checked={is("employment", e)} label={opt("survey.employment", e)} />
                ))}
              </div>
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.employmentPlace")}</td>
            <td className={cell} colSpan={5}>
              {EMPLOYMENT_PLACE.map((p) => (
                <span key={p} className="mr-3">
                  <Box checked={is("employmentPlace", p)} label={p === "IN_CITY" ? t("print.inCity") : t("print.outside")} />
                  <Blank value={is("employmentPlace", p) ? text("employmentPlaceDetail") : null} width="7em" />
                </span>
              ))}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.occupation")}</td>
            <td className={cell} colSpan={5}>
              {OCCUPATIONS.map((o) => (
                <Box key={o} checked={is("occupation", o)} label={opt("survey.occupation", o)} />
              ))}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("registry.residence")}</td>
            <td className={cell} colSpan={5}>
              <div className="whitespace-pre-wrap">{t("print.residenceParts")}</div>
              <div>
                {t("survey.residenceAddress")}：<Blank value={text("residenceAddress") ?? form.residenceAddress} width="24em" />
              </div>
            </td>
          </tr>
          <tr>
            <td className={head}>{t("registry.phone")}</td>
            <td className={cell} colSpan={5}>
              {t("survey.mobile")}：<Blank value={text("mobile") ?? (text("noMobileReason") ? null : form.phone)} width="10em" /> {t("survey.landline")}：<Blank value={text("landline")} width="9em" />
              <div>
                {t("survey.noMobile")}：
                {NO_MOBILE_REASONS.map((r) => (
                  <Box key={r} checked={is("noMobileReason", r)} label={opt("survey.noMobileReason", r)} />
                ))}
                <Blank value={text("noMobileNote")} width="8em" />
              </div>
            </td>
          </tr>
          <tr>
            <td className={head} rowSpan={3}>
              {t("survey.enrolment")}
            </td>
            <td className={cell} colSpan={5}>
              <span className="font-medium">{t("survey.pension")}：</span>
              {PENSION.filter((p) => p !== "NONE").map((p) => (
                <Box key={p} checked={is("pension", p)} label={opt("survey.pension", p)} />
              ))}
              <Box checked={is("pension", "NONE")} label={opt("survey.pension", "NONE")} />
            </td>
          </tr>
          <tr>
            <td className={cell} colSpan={5}>
              <span className="font-medium">{t("survey.medical")}：</span>
              {MEDICAL.filter((m) => m !== "NONE").map((m) => (
                <Box key={m} checked={is("medical", m)} label={opt("survey.medical", m)} />
              ))}
              <Box checked={is("medical", "NONE")} label={opt("survey.medical", "NONE")} />
            </td>
          </tr>
          <tr>
            <td className={cell} colSpan={5}>
              <span className="font-medium">{t("print.otherSchemes")}：</span>
              <Box checked={has("unemployment")} label={t("survey.unemployment")} />
              <Box checked={has("workInjury")} label={t("survey.workInjury")} />
              <Box checked={has("maternity")} label={t("survey.maternity")} />
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.reasons")}</td>
            <td className={cell} colSpan={5}>
              {NOT_INSURED_REASONS.map((r) => (
                <Box key={r} checked={reasons.includes(r)} label={t(`survey.reason.${r}` as TMessageKey)} />
              ))}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.elsewhere")}</td>
            <td className={cell} colSpan={5}>
              {ELSEWHERE.map((e) => (
                <Box key={e} checked={is("elsewhere", e)} label={opt("survey.elsewhere", e)} />
              ))}
              {t("survey.elsewhereScheme")}：<Blank value={text("elsewhereScheme")} width="6em" /> {t("survey.elsewherePlace")}：<Blank value={text("elsewherePlace")} width="8em" />
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.visit")}</td>
            <td className={cell} colSpan={5}>
              {VISIT_OUTCOMES.map((v) => (
                <Box key={v} checked={false} label={opt("survey.visit", v)} />
              ))}
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.declarant")}</td>
            <td className={cell} colSpan={5}>
              <p>{t("print.declaration")}</p>
              <div>
                {DECLARANT.map((x) => (
                  <Box key={x} checked={is("declarant", x)} label={opt("survey.declarant", x)} />
                ))}
                {t("survey.declarantName")}：<Blank value={text("declarantName")} width="6em" /> <Box checked={has("authorisationNoted")} label={t("survey.authorisationNoted")} />
              </div>
              <p className="mt-3 text-right">
                {t("print.signatureSelf")}：<Blank width="9em" /> <span className="ml-2">{t("print.yearMonthDay")}</span>
              </p>
            </td>
          </tr>
          <tr>
            <td className={head}>{t("print.surveyors")}</td>
            <td className={cell} colSpan={5}>
              <Blank value={surveyors} width="16em" />
            </td>
          </tr>
          <tr>
            <td className={head}>{t("survey.remarks")}</td>
            <td className={cell} colSpan={5}>
              <div className="min-h-[2.2em]">{text("remarks")}</div>
            </td>
          </tr>
          <tr>
            <td className={cell} colSpan={6}>
              <div className="flex flex-wrap justify-between gap-y-2 py-2">
                <span>
                  {t("print.signatureSurveyor")}：<Blank width="9em" /> {t("print.yearMonthDay")}
                </span>
                <span>
                  {t("print.signatureClerk")}：<Blank width="7em" /> {t("print.yearMonthDay")}
                </span>
              </div>

            </td>
          </tr>
        </tbody>
      </table>
      <footer className="mt-1.5 space-y-0.5 text-[9px] leading-snug text-slate-700 print:text-black">
        <p>{t("survey.remarks")}：</p>
        <p>{t("print.note1")}</p>
        <p>{t("print.note2")}</p>
        <p>{t("print.note3")}</p>
        <p>{t("print.note4")}</p>
      </footer>
    </article>
  );
}
