"use client";

import { FieldError } from "./action-form";

/**
 * A labelled field of an ActionForm: the label, the input (children) and the field's own error
 * message from the action's `fieldErrors` (the input is marked aria-invalid by the ActionForm).
 */
export function Field({ name, label, hint, children, className }: { name: string; label: string; hint?: string; children: React.ReactNode; className?: string }) {
  return (
    <label className={className ?? "flex min-w-0 flex-col gap-1 text-sm"}>
      <span className="text-slate-700">{label}</span>
      {children}
      {hint && <span className="text-xs text-slate-500">{hint}</span>}
      <FieldError name={name} />
    </label>
  );
}
