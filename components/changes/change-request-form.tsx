"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/auth/action";

// 变更登记 request form on the person page: each field shows the registry's current value; only
// filled fields are proposed. Labels come from the server's catalogue; errors show next to fields.

export interface ChangeFieldSpec {
  name: string;
  label: string;
  current: string;
  kind: "text" | "date" | "select";
  options?: { value: string; label: string }[];
  sensitive: boolean;
}

export function ChangeRequestForm({
  action,
  personId,
  fields,
  labels,
}: {
  action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  personId: string;
  fields: ChangeFieldSpec[];
  labels: { current: string; proposed: string; evidence: string; submit: string; sensitive: string; hint: string };
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  // Submitting through onSubmit (not the form's action prop) keeps what was typed when the server
  // refuses it; the form is cleared only once the request was filed.
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const input = "w-full rounded border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" data-testid="change-request-form">
      <input type="hidden" name="personId" value={personId} />
      <p className="text-sm text-slate-600">{labels.hint}</p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {fields.map((f) => (
          <label key={f.name} className="block text-sm">
            <span className="font-medium">
              {f.label}
              {f.sensitive && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{labels.sensitive}</span>}
            </span>
            <span className="block text-xs text-slate-500">
              {labels.current}：{f.current || "—"}
            </span>
            {f.kind === "select" ? (
              <select name={f.name} className={input} defaultValue="" aria-label={`${labels.proposed} ${f.label}`}>
                <option value="">{labels.proposed}…</option>
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input name={f.name} type={f.kind} className={input} placeholder={labels.proposed} aria-label={`${labels.proposed} ${f.label}`} />
            )}
            {errors[f.name] && (
              <span className="text-xs text-red-600" aria-live="polite" data-testid={`change-error-${f.name}`}>
                {errors[f.name]}
              </span>
            )}
          </label>
        ))}
      </div>
      <label className="block text-sm">
        <span className="font-medium">{labels.evidence}</span>
        <textarea name="evidence" rows={2} className={input} />
        {errors.evidence && (
          <span className="text-xs text-red-600" aria-live="polite" data-testid="change-error-evidence">
            {errors.evidence}
          </span>
        )}
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800 disabled:opacity-60">
          {labels.submit}
        </button>
        <span aria-live="polite" data-testid="change-request-result" className={`text-sm ${state?.ok ? "text-green-700" : "text-red-600"}`}>
          {state ? (state.ok ? state.message : (errors._ ?? state.message)) : ""}
        </span>
      </div>
    </form>
  );
}
