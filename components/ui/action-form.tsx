"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/auth/action";

/** A form bound to a server action, with its result announced next to the button. */
export function ActionForm({
  action,
  children,
  submitLabel,
  okLabel,
  className,
  testId,
}: {
  action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  children: React.ReactNode;
  submitLabel: string;
  okLabel?: string;
  className?: string;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className={className ?? "flex flex-wrap items-end gap-2"} data-testid={testId}>
      {children}
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800 disabled:opacity-60">
        {submitLabel}
      </button>
      <span aria-live="polite" className={`text-sm ${state?.ok ? "text-green-700" : "text-red-600"}`} data-testid={testId ? `${testId}-result` : undefined}>
        {state ? (state.ok ? (state.message ?? okLabel ?? "") : state.message) : ""}
      </span>
    </form>
  );
}
