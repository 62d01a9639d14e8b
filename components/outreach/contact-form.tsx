"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/auth/action";

// 登记联系情况: date, channel, outcome, promised date, note. Submitted through onSubmit so that what
// was typed stays when the server refuses it (errors next to their field); cleared once saved.

export interface ContactFormLabels {
  contactedOn: string;
  channel: string;
  outcome: string;
  promisedOn: string;
  note: string;
  choose: string;
  save: string;
  saving: string;
}

export function ContactForm({
  action,
  entryId,
  today,
  channels,
  outcomes,
  labels,
}: {
  action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  entryId: number;
  today: string;
  channels: { value: string; label: string }[];
  outcomes: { value: string; label: string }[];
  labels: ContactFormLabels;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const input = "w-full rounded border border-slate-300 px-2 py-2 text-base sm:text-sm";
  const err = (name: string) =>
    errors[name] ? (
      <span className="block text-sm text-red-600" id={`${name}-error`} data-testid={`error-${name}`}>
        {errors[name]}
      </span>
    ) : null;
  const aria = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" data-testid="contact-form" noValidate>
      <input type="hidden" name="entryId" value={entryId} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <label className="block text-sm">
          <span className="font-medium">{labels.contactedOn}</span>
          <input type="date" name="contactedOn" defaultValue={today} max={today} className={input} {...aria("contactedOn")} />
          {err("contactedOn")}
        </label>
        <label className="block text-sm">
          <span className="font-medium">{labels.channel}</span>
          <select name="channel" defaultValue="" className={input} {...aria("channel")}>
            <option value="">{labels.choose}</option>
            {channels.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {err("channel")}
        </label>
        <label className="block text-sm">
          <span className="font-medium">{labels.outcome}</span>
          <select name="outcome" defaultValue="" className={input} {...aria("outcome")}>
            <option value="">{labels.choose}</option>
            {outcomes.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {err("outcome")}
        </label>
        <label className="block text-sm">
          <span className="font-medium">{labels.promisedOn}</span>
          <input type="date" name="promisedOn" className={input} {...aria("promisedOn")} />
          {err("promisedOn")}
        </label>
      </div>
      <label className="block text-sm">
        <span className="font-medium">{labels.note}</span>
        <textarea name="note" rows={2} maxLength={500} className={input} {...aria("note")} />
        {err("note")}
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 text-white hover:bg-blue-800 disabled:opacity-60" data-testid="contact-save">
          {pending ? labels.saving : labels.save}
        </button>
        <span aria-live="polite" className={`text-sm ${state?.ok ? "text-green-700" : "text-red-600"}`} data-testid="contact-result">
          {state ? state.message : ""}
        </span>
      </div>
    </form>
  );
}
