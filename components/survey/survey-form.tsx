"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { type TLocale, type TMessageKey, translator } from "@/lib/i18n/messages";
import { saveDraftAction, submitFormAction } from "@/lib/survey/actions";
import { draftKey } from "./draft-storage";
import { type PickerRegion, RegionPicker } from "./region-picker";
import { answerList, DECLARANT, ELSEWHERE, EMPLOYMENT, EMPLOYMENT_PLACE, fieldErrorKeys, MEDICAL, NO_MOBILE_REASONS, NOT_INSURED_REASONS, OCCUPATIONS, PENSION, ZSurveyDraft, ZSurveyForm } from "@/lib/survey/schema";

// The registration form on a phone. The same zod schema validates here and on the server.
// Every change is kept in the browser (localStorage) at once; a draft that could not reach the
// server (lost connection) is marked unsynced and sent when the browser is back online.
// A failed submit keeps every input, marks each field in error (aria-invalid, red outline) with its
// own message, and moves the focus (and the page, on a phone) to the first of them.

type Values = Record<string, unknown>;

const STORAGE = draftKey;

interface Stored {
  values: Values;
  unsynced: boolean;
  savedAt: number;
}

/**
 * The draft kept in this browser for a task, if it is still a valid draft (the same ZSurveyDraft the
 * server checks drafts with); anything else is dropped rather than sent or shown.
 */
function readStored(taskId: number): Stored | null {
  try {
    const raw = localStorage.getItem(STORAGE(taskId));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (!stored || typeof stored !== "object" || !ZSurveyDraft.safeParse(stored.values).success) {
      localStorage.removeItem(STORAGE(taskId));
      return null;
    }
    return stored;
  } catch {
    return null;
  }
}

/** Form values → the schema's input (surveyors typed as one line of names). */
export function toInput(values: Values): Values {
  // Names are separated by 、 , ; (a name may hold a space: "调查员 张洋"), or by spaces when nothing else separates them.
  const line = String(values.surveyors ?? "").trim();
  const surveyors = line
    .split(/[、,，;；]/.test(line) ? /[、,，;；]+/ : /\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { ...values, surveyors, reasons: Array.isArray(values.reasons) ? values.reasons : [], pension: answerList(values.pension), medical: answerList(values.medical) };
}

/** A form as stored (old forms: pension / medical as one string) → the values the inputs show. */
export function toValues(data: Values): Values {
  const out: Values = { ...data };
  for (const key of ["pension", "medical"] as const) if (key in out) out[key] = answerList(out[key]);
  return out;
}

/** The fields in the order the form shows them (the first in error gets the focus). */
const FIELD_ORDER = ["employment", "unitName", "employmentPlace", "employmentPlaceDetail", "occupation", "residenceRegionCode", "residenceAddress", "mobile", "noMobileReason", "noMobileNote", "landline", "pension", "medical", "reasons", "elsewhere", "elsewhereScheme", "elsewherePlace", "declarant", "declarantName", "authorisationNoted", "surveyors", "remarks"];

export function SurveyForm({
  taskId,
  version: initialVersion,
  initial,
  locale,
  editable,
  regions,
  cityName,
  surveyorsHint,
  residenceHint,
}: {
  taskId: number;
  version: number;
  initial: Values;
  locale: TLocale;
  editable: boolean;
  regions: PickerRegion[];
  cityName: string;
  /** Shown under the surveyors when they were filled from the team. */
  surveyorsHint?: string;
  /** Shown under the residence when it was preselected from the registry. */
  residenceHint?: string;
}) {
  const t = useMemo(() => translator(locale), [locale]);
  const router = useRouter();
  const [values, setValues] = useState<Values>(() => toValues(initial));
  const [noMobile, setNoMobile] = useState(Boolean(initial.noMobileReason));
  const [errorRound, setErrorRound] = useState(0);
  // Until the script runs the buttons stay disabled: a tap before it would submit the page natively
  // (input lost, values in the URL).
  const hydrated = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  const formRef = useRef<HTMLFormElement>(null);
  const [version, setVersion] = useState(initialVersion);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: "ok" | "error" | "info"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const versionRef = useRef(version);
  versionRef.current = version;

  const store = useCallback((v: Values, unsynced: boolean) => {
    try {
      localStorage.setItem(STORAGE(taskId), JSON.stringify({ values: v, unsynced, savedAt: Date.now() } satisfies Stored));
    } catch {
      /* storage full or disabled: the server draft still works */
    }
  }, [taskId]);

  const pushDraft = useCallback(
    async (v: Values): Promise<boolean> => {
      try {
        const result = await saveDraftAction(taskId, versionRef.current, v);
        if (result.ok && result.version) {
          setVersion(result.version);
          store(v, false);
          return true;
        }
        setStatus({ kind: "error", text: result.ok ? "" : result.message });
        return false;
      } catch {
        // The request did not reach the server: keep the draft here and send it later.
        store(v, true);
        setStatus({ kind: "info", text: t("survey.savedOffline") });
        return false;
      }
    },
    [taskId, store, t],
  );

  // A draft kept in this browser (e.g. typed while offline) wins over the server's copy.
  useEffect(() => {
    if (!editable) return;
    const stored = readStored(taskId);
    if (stored?.unsynced) {
      setValues(toValues(stored.values));
      setNoMobile(Boolean(stored.values.noMobileReason));
      if (navigator.onLine) void pushDraft(stored.values).then((ok) => ok && setStatus({ kind: "ok", text: t("survey.syncedOffline") }));
    }
  }, [taskId, editable, pushDraft, t]);

  useEffect(() => {
    const onOnline = () => {
      const stored = readStored(taskId);
      if (stored?.unsynced) void pushDraft(stored.values).then((ok) => ok && setStatus({ kind: "ok", text: t("survey.syncedOffline") }));
    };
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [taskId, pushDraft, t]);

  // After a failed submit: the first field in error (in the form's order) gets the focus, and the page
  // scrolls to it (on a phone it is often far below the button).
  useEffect(() => {
    if (errorRound === 0) return;
    const form = formRef.current;
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!first) return;
    const target = first.matches("input, select, textarea") ? first : (first.querySelector<HTMLElement>("input, select, textarea") ?? first);
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }, [errorRound]);

  function showErrors(next: Record<string, string>, message?: string) {
    setErrors(next);
    const names = FIELD_ORDER.filter((f) => next[f]).concat(Object.keys(next).filter((f) => next[f] && !FIELD_ORDER.includes(f)));
    const labels = names.map((f) => t(`survey.${f}` as TMessageKey)).join("、");
    setStatus({ kind: "error", text: message && names.length === 0 ? message : t("survey.err.fixCount", { n: names.length, fields: labels }) });
    setErrorRound((r) => r + 1);
  }

  function set(name: string, value: unknown) {
    setValues((prev) => {
      const next = { ...prev, [name]: value };
      // Kept here at once; unsynced until the next successful save reaches the server.
      store(next, true);
      return next;
    });
    if (errors[name]) setErrors((e) => ({ ...e, [name]: "" }));
  }

  async function onSaveDraft() {
    setPending(true);
    const ok = await pushDraft(values);
    setPending(false);
    if (ok) setStatus({ kind: "ok", text: t("survey.saved") });
  }

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const input = toInput(values);
    const parsed = ZSurveyForm.safeParse(input);
    if (!parsed.success) {
      const keys = fieldErrorKeys(parsed.error);
      showErrors(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, t(v as TMessageKey)])));
      return;
    }
    setPending(true);
    try {
      const result = await submitFormAction(taskId, versionRef.current, input);
      if (result.ok) {
        localStorage.removeItem(STORAGE(taskId));
        setStatus({ kind: "ok", text: t("survey.submitted") });
        // The list confirms it (banner) and shows the task among the submitted ones.
        router.push(`/survey?tab=submitted&submitted=${taskId}`);
        router.refresh();
      } else if (result.fieldErrors && Object.keys(result.fieldErrors).length > 0) {
        showErrors(result.fieldErrors, result.message);
      } else {
        setStatus({ kind: "error", text: result.message });
      }
    } catch {
      store(values, true);
      setStatus({ kind: "info", text: t("survey.savedOffline") });
    } finally {
      setPending(false);
    }
  }

  const field = "mt-1 w-full rounded border border-slate-300 px-3 py-2 text-base disabled:bg-slate-100";
  const invalid = (name: string) => (errors[name] ? { "aria-invalid": true as const, "aria-describedby": `error-${taskId}-${name}` } : {});
  const err = (name: string) =>
    errors[name] ? (
      <p className="mt-1 text-sm text-red-600" id={`error-${taskId}-${name}`} data-testid={`error-${name}`}>
        {errors[name]}
      </p>
    ) : null;
  const label = (name: string) => <span className="text-sm font-medium text-slate-700">{t(`survey.${name}` as TMessageKey)}</span>;
  const select = (name: string, options: readonly string[], prefix: string, optional = false) => (
    <label className="block" key={name}>
      {label(name)}
      <select name={name} value={String(values[name] ?? "")} onChange={(e) => set(name, e.target.value || undefined)} className={field} disabled={!editable} {...invalid(name)}>
        {(optional || values[name] === undefined) && <option value="">—</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {t(`${prefix}.${o}` as TMessageKey)}
          </option>
        ))}
      </select>
      {err(name)}
    </label>
  );
  const text = (name: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => (
    <label className="block" key={name}>
      {label(name)}
      <input name={name} value={String(values[name] ?? "")} onChange={(e) => set(name, e.target.value)} className={field} disabled={!editable} {...invalid(name)} {...props} />
      {hint && <span className="mt-0.5 block text-xs text-slate-500">{hint}</span>}
      {err(name)}
    </label>
  );
  const check = (name: string) => (
    <label className="flex items-center gap-2 py-1" key={name}>
      <input type="checkbox" name={name} checked={Boolean(values[name])} onChange={(e) => set(name, e.target.checked)} disabled={!editable} className="h-5 w-5" {...invalid(name)} />
      <span>{t(`survey.${name}` as TMessageKey)}</span>
    </label>
  );
  /** A group of checkboxes whose value is the list of ticked options (reasons; pension and medical: several when enrolled twice). */
  const multi = (name: string, options: readonly string[], labelOf: (o: string) => string, hint?: string) => {
    const chosen = (Array.isArray(values[name]) ? values[name] : []) as string[];
    return (
      <div role="group" aria-labelledby={`label-${taskId}-${name}`} data-testid={name === "reasons" ? "reasons" : `group-${name}`} {...invalid(name)} className="rounded">
        <span id={`label-${taskId}-${name}`} className="text-sm font-medium text-slate-700">
          {t(`survey.${name}` as TMessageKey)}
        </span>
        {hint && <span className="ml-2 text-xs text-slate-500">{hint}</span>}
        <div className="mt-1 grid grid-cols-1 gap-x-4 sm:grid-cols-2">
          {options.map((o) => (
            <label key={o} className="flex items-center gap-2 py-1">
              <input
                type="checkbox"
                name={name}
                value={o}
                checked={chosen.includes(o)}
                disabled={!editable}
                className="h-5 w-5"
                onChange={(e) => set(name, e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o))}
              />
              <span>{labelOf(o)}</span>
            </label>
          ))}
        </div>
        {err(name)}
      </div>
    );
  };

  function toggleNoMobile(on: boolean) {
    setNoMobile(on);
    if (on) set("mobile", "");
    else {
      set("noMobileReason", undefined);
      set("noMobileNote", undefined);
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-5" data-testid="survey-form" data-ready={hydrated ? "1" : undefined} noValidate>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">{t("survey.employment")}</legend>
        {select("employment", EMPLOYMENT, "survey.employment")}
        {values.employment === "EMPLOYED" && text("unitName")}
        {(values.employment === "EMPLOYED" || values.employment === "FLEXIBLE") && (
          <>
            {select("employmentPlace", EMPLOYMENT_PLACE, "survey.employmentPlace", true)}
            {text("employmentPlaceDetail")}
            {select("occupation", OCCUPATIONS, "survey.occupation", true)}
          </>
        )}
      </fieldset>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">{t("survey.residenceAddress")}</legend>
        <div>
          <span className="text-sm font-medium text-slate-700">{t("survey.residenceRegion")}</span>
          <RegionPicker regions={regions} value={String(values.residenceRegionCode ?? "")} onChange={(code) => set("residenceRegionCode", code || undefined)} disabled={!editable} t={t} cityName={cityName} invalid={Boolean(errors.residenceRegionCode)} />
          {residenceHint && <span className="mt-0.5 block text-xs text-slate-500" data-testid="residence-hint">{residenceHint}</span>}
          {err("residenceRegionCode")}
        </div>
        {text("residenceAddress")}
        {text("mobile", { inputMode: "tel", maxLength: 11, autoComplete: "tel", disabled: !editable || noMobile })}
        <label className="flex items-center gap-2 py-1">
          <input type="checkbox" name="noMobile" checked={noMobile} onChange={(e) => toggleNoMobile(e.target.checked)} disabled={!editable} className="h-5 w-5" />
          <span>{t("survey.noMobile")}</span>
        </label>
        {noMobile && (
          <>
            {select("noMobileReason", NO_MOBILE_REASONS, "survey.noMobileReason", true)}
            {values.noMobileReason === "OTHER" && text("noMobileNote")}
          </>
        )}
        {text("landline", { inputMode: "tel" })}
      </fieldset>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">{t("survey.collected")}</legend>
        {multi("pension", PENSION, (o) => t(`survey.pension.${o}` as TMessageKey), t("survey.multiAnswer"))}
        {multi("medical", MEDICAL, (o) => t(`survey.medical.${o}` as TMessageKey), t("survey.multiAnswer"))}
        <div className="grid grid-cols-1 sm:grid-cols-3">
          {check("unemployment")}
          {check("workInjury")}
          {check("maternity")}
        </div>
        {multi("reasons", NOT_INSURED_REASONS, (o) => t(`survey.reason.${o}` as TMessageKey))}
        {select("elsewhere", ELSEWHERE, "survey.elsewhere")}
        {Boolean(values.elsewhere) && values.elsewhere !== "NONE" && (
          <>
            {text("elsewhereScheme")}
            {text("elsewherePlace")}
          </>
        )}
      </fieldset>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">{t("survey.declarant")}</legend>
        {select("declarant", DECLARANT, "survey.declarant")}
        {Boolean(values.declarant) && values.declarant !== "SELF" && text("declarantName")}
        {values.declarant === "AGENT" && (
          <>
            {check("authorisationNoted")}
            {err("authorisationNoted")}
          </>
        )}
        {text("surveyors", {}, surveyorsHint)}
        <label className="block">
          {label("remarks")}
          <textarea name="remarks" value={String(values.remarks ?? "")} onChange={(e) => set("remarks", e.target.value)} className={field} rows={2} disabled={!editable} {...invalid("remarks")} />
          {err("remarks")}
        </label>
      </fieldset>
      {editable && (
        <div className="sticky bottom-0 space-y-2 border-t border-slate-200 bg-slate-50 py-3">
          <p role={status?.kind === "error" ? "alert" : "status"} aria-live="polite" data-testid="form-status" className={`min-h-5 text-sm ${status?.kind === "error" ? "text-red-600" : status?.kind === "ok" ? "text-green-700" : "text-amber-700"}`}>
            {status?.text ?? ""}
          </p>
          <div className="flex gap-3">
            <button type="button" onClick={onSaveDraft} disabled={pending || !hydrated} className="flex-1 rounded border border-blue-700 px-4 py-3 text-blue-800 disabled:opacity-60">
              {t("survey.saveDraft")}
            </button>
            <button type="submit" disabled={pending || !hydrated} className="flex-1 rounded bg-blue-700 px-4 py-3 font-medium text-white disabled:opacity-60">
              {t("survey.submit")}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
