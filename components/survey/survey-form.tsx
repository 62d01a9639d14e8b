"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type TLocale, type TMessageKey, translator } from "@/lib/i18n/messages";
import { saveDraftAction, submitFormAction } from "@/lib/survey/actions";
import { draftKey } from "./draft-storage";
import { type PickerRegion, RegionPicker } from "./region-picker";
import { DECLARANT, ELSEWHERE, EMPLOYMENT, EMPLOYMENT_PLACE, fieldErrorKeys, MEDICAL, NOT_INSURED_REASONS, OCCUPATIONS, PENSION, ZSurveyForm } from "@/lib/survey/schema";

// The registration form on a phone. The same zod schema validates here and on the server.
// Every change is kept in the browser (localStorage) at once; a draft that could not reach the
// server (lost connection) is marked unsynced and sent when the browser is back online.

type Values = Record<string, unknown>;

const STORAGE = draftKey;

interface Stored {
  values: Values;
  unsynced: boolean;
  savedAt: number;
}

/** Form values → the schema's input (surveyors typed as one line of names). */
export function toInput(values: Values): Values {
  const surveyors = String(values.surveyors ?? "")
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { ...values, surveyors, reasons: Array.isArray(values.reasons) ? values.reasons : [] };
}

export function SurveyForm({ taskId, version: initialVersion, initial, locale, editable, regions, cityName }: { taskId: number; version: number; initial: Values; locale: TLocale; editable: boolean; regions: PickerRegion[]; cityName: string }) {
  const t = useMemo(() => translator(locale), [locale]);
  const router = useRouter();
  const [values, setValues] = useState<Values>(initial);
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
    const raw = localStorage.getItem(STORAGE(taskId));
    if (!raw) return;
    const stored = JSON.parse(raw) as Stored;
    if (stored.unsynced) {
      setValues(stored.values);
      if (navigator.onLine) void pushDraft(stored.values).then((ok) => ok && setStatus({ kind: "ok", text: t("survey.syncedOffline") }));
    }
  }, [taskId, editable, pushDraft, t]);

  useEffect(() => {
    const onOnline = () => {
      const raw = localStorage.getItem(STORAGE(taskId));
      if (!raw) return;
      const stored = JSON.parse(raw) as Stored;
      if (stored.unsynced) void pushDraft(stored.values).then((ok) => ok && setStatus({ kind: "ok", text: t("survey.syncedOffline") }));
    };
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [taskId, pushDraft, t]);

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
      setErrors(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, t(v as TMessageKey)])));
      setStatus({ kind: "error", text: t("survey.fixErrors") });
      return;
    }
    setPending(true);
    try {
      const result = await submitFormAction(taskId, versionRef.current, input);
      if (result.ok) {
        localStorage.removeItem(STORAGE(taskId));
        setStatus({ kind: "ok", text: t("survey.submitted") });
        router.push("/survey");
        router.refresh();
      } else {
        setErrors(result.fieldErrors ?? {});
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
  const err = (name: string) =>
    errors[name] ? (
      <p className="mt-1 text-sm text-red-600" role="alert" data-testid={`error-${name}`}>
        {errors[name]}
      </p>
    ) : null;
  const select = (name: string, options: readonly string[], prefix: string, optional = false) => (
    <label className="block" key={name}>
      <span className="text-sm font-medium text-slate-700">{t(`survey.${name}` as TMessageKey)}</span>
      <select name={name} value={String(values[name] ?? "")} onChange={(e) => set(name, e.target.value || undefined)} className={field} disabled={!editable} aria-invalid={Boolean(errors[name])}>
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
  const text = (name: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="block" key={name}>
      <span className="text-sm font-medium text-slate-700">{t(`survey.${name}` as TMessageKey)}</span>
      <input name={name} value={String(values[name] ?? "")} onChange={(e) => set(name, e.target.value)} className={field} disabled={!editable} aria-invalid={Boolean(errors[name])} {...props} />
      {err(name)}
    </label>
  );
  const check = (name: string) => (
    <label className="flex items-center gap-2 py-1" key={name}>
      <input type="checkbox" name={name} checked={Boolean(values[name])} onChange={(e) => set(name, e.target.checked)} disabled={!editable} className="h-5 w-5" />
      <span>{t(`survey.${name}` as TMessageKey)}</span>
    </label>
  );
  const reasons = (Array.isArray(values.reasons) ? values.reasons : []) as string[];

  return (
    <form onSubmit={onSubmit} className="space-y-5" data-testid="survey-form" noValidate>
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
          <RegionPicker regions={regions} value={String(values.residenceRegionCode ?? "")} onChange={(code) => set("residenceRegionCode", code.length === 12 ? code : code ? code : undefined)} disabled={!editable} t={t} cityName={cityName} />
          {err("residenceRegionCode")}
        </div>
        {text("residenceAddress")}
        {text("mobile", { inputMode: "tel", maxLength: 11, autoComplete: "tel" })}
        {text("landline", { inputMode: "tel" })}
      </fieldset>
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">{t("survey.collected")}</legend>
        {select("pension", PENSION, "survey.pension")}
        {select("medical", MEDICAL, "survey.medical")}
        <div className="grid grid-cols-1 sm:grid-cols-3">
          {check("unemployment")}
          {check("workInjury")}
          {check("maternity")}
        </div>
        <div>
          <span className="text-sm font-medium text-slate-700">{t("survey.reasons")}</span>
          <div className="mt-1 grid grid-cols-1 gap-x-4 sm:grid-cols-2" data-testid="reasons">
            {NOT_INSURED_REASONS.map((r) => (
              <label key={r} className="flex items-center gap-2 py-1">
                <input
                  type="checkbox"
                  value={r}
                  checked={reasons.includes(r)}
                  disabled={!editable}
                  className="h-5 w-5"
                  onChange={(e) => set("reasons", e.target.checked ? [...reasons, r] : reasons.filter((x) => x !== r))}
                />
                <span>{t(`survey.reason.${r}` as TMessageKey)}</span>
              </label>
            ))}
          </div>
          {err("reasons")}
        </div>
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
        {text("surveyors")}
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t("survey.remarks")}</span>
          <textarea name="remarks" value={String(values.remarks ?? "")} onChange={(e) => set("remarks", e.target.value)} className={field} rows={2} disabled={!editable} />
        </label>
      </fieldset>
      <p aria-live="polite" data-testid="form-status" className={`min-h-5 text-sm ${status?.kind === "error" ? "text-red-600" : status?.kind === "ok" ? "text-green-700" : "text-amber-700"}`}>
        {status?.text ?? ""}
      </p>
      {editable && (
        <div className="sticky bottom-0 flex gap-3 border-t border-slate-200 bg-slate-50 py-3">
          <button type="button" onClick={onSaveDraft} disabled={pending} className="flex-1 rounded border border-blue-700 px-4 py-3 text-blue-800 disabled:opacity-60">
            {t("survey.saveDraft")}
          </button>
          <button type="submit" disabled={pending} className="flex-1 rounded bg-blue-700 px-4 py-3 font-medium text-white disabled:opacity-60">
            {t("survey.submit")}
          </button>
        </div>
      )}
    </form>
  );
}
