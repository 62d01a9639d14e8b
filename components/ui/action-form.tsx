"use client";

import { createContext, startTransition, useActionState, useContext, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/auth/action";

// A form bound to a server action, for every form of the portal (issue 13, "forms that keep what was
// typed"):
// - the input survives a failed submit: the action runs from onSubmit inside a transition, so React
//   does not reset the form as it does for <form action>; after a success the form is reset unless
//   `keepOnSuccess`;
// - each field named in the result's `fieldErrors` is marked (aria-invalid, red outline from
//   globals.css) and shows its own message where a <FieldError name> (or <Field>) is placed, else
//   in the summary beside the button;
// - focus moves to the first field in error (and the page scrolls to it on a phone);
// - the result is announced beside the button: the action's message, or `okLabel` on success.

type FieldErrors = Record<string, string>;

// `placed` holds the names that have a <FieldError> of their own (registered when it mounts, before any
// result arrives); the other fields' messages are listed beside the button.
const FormErrorsContext = createContext<{ errors: FieldErrors; formId: string; placed: Set<string> }>({ errors: {}, formId: "", placed: new Set() });

/** The message of one field of the enclosing ActionForm, with the id its input's aria-describedby names. */
export function FieldError({ name }: { name: string }) {
  const { errors, formId, placed } = useContext(FormErrorsContext);
  useLayoutEffect(() => {
    placed.add(name);
    return () => {
      placed.delete(name);
    };
  }, [placed, name]);
  const message = errors[name];
  if (!message) return null;
  return (
    <span id={`${formId}-${name}-error`} className="text-sm text-red-600" data-field-error={name}>
      {message}
    </span>
  );
}

/** The error of a field of the enclosing ActionForm (for inputs that render their own message). */
export function useFieldError(name: string): { message?: string; describedBy?: string } {
  const { errors, formId } = useContext(FormErrorsContext);
  return errors[name] ? { message: errors[name], describedBy: `${formId}-${name}-error` } : {};
}

export function ActionForm({
  action,
  children,
  submitLabel,
  okLabel,
  className,
  testId,
  confirm,
  keepOnSuccess,
  variant = "primary",
  onDone,
}: {
  action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  children: React.ReactNode;
  submitLabel: string;
  okLabel?: string;
  className?: string;
  testId?: string;
  /** Asked before the action runs (window.confirm); nothing happens when the clerk cancels. */
  confirm?: string;
  /** Leave the inputs as they are after a success (default: the form is cleared). */
  keepOnSuccess?: boolean;
  /** The button's look: primary (blue), danger (red, for returns, disabling, withdrawals), secondary. */
  variant?: "primary" | "danger" | "secondary";
  /** Called with each result (e.g. to move on after a decision). */
  onDone?: (result: ActionResult) => void;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId().replace(/:/g, "");
  const [placed] = useState(() => new Set<string>());
  const errors: FieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  useEffect(() => {
    const form = formRef.current;
    if (!form || !state) return;
    onDone?.(state);
    for (const el of Array.from(form.elements)) {
      if (el instanceof HTMLElement && el.dataset.actionFormInvalid) {
        el.removeAttribute("aria-invalid");
        delete el.dataset.actionFormInvalid;
      }
    }
    if (state.ok) {
      if (!keepOnSuccess) form.reset();
      return;
    }
    const named = state.fieldErrors ?? {};
    let first: HTMLElement | null = null;
    for (const el of Array.from(form.elements)) {
      const name = (el as HTMLInputElement).name;
      if (!name || !(name in named) || !(el instanceof HTMLElement)) continue;
      if (!el.hasAttribute("aria-invalid")) {
        el.setAttribute("aria-invalid", "true");
        el.dataset.actionFormInvalid = "1";
      }
      if (!el.getAttribute("aria-describedby")) el.setAttribute("aria-describedby", `${formId}-${name}-error`);
      first ??= el;
    }
    if (first) {
      first.scrollIntoView({ block: "center", behavior: "smooth" });
      first.focus({ preventScroll: true });
    } else {
      form.querySelector<HTMLElement>("[data-action-form-result]")?.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    // Only a new result moves focus; the callbacks are not dependencies on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  // Messages of fields that have no <FieldError> of their own are listed beside the button.
  const unplaced = Object.entries(errors).filter(([name]) => !placed.has(name));
  const buttonClass =
    variant === "danger"
      ? "bg-red-700 text-white hover:bg-red-800"
      : variant === "secondary"
        ? "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
        : "bg-blue-700 text-white hover:bg-blue-800";

  return (
    <FormErrorsContext.Provider value={{ errors, formId, placed }}>
      <form
        ref={formRef}
        noValidate
        className={className ?? "flex flex-wrap items-end gap-2"}
        data-testid={testId}
        onSubmit={(e) => {
          e.preventDefault();
          if (confirm && !window.confirm(confirm)) return;
          const data = new FormData(e.currentTarget);
          startTransition(() => formAction(data));
        }}
      >
        {children}
        <button type="submit" disabled={pending} className={`rounded px-3 py-1.5 text-sm disabled:opacity-60 ${buttonClass}`}>
          {submitLabel}
        </button>
        <span
          role={state && !state.ok ? "alert" : "status"}
          aria-live="polite"
          className={`text-sm ${state?.ok ? "text-green-700" : "text-red-600"}`}
          data-testid={testId ? `${testId}-result` : undefined}
          data-action-form-result
        >
          {state ? (state.ok ? (state.message ?? okLabel ?? "") : state.message) : ""}
          {unplaced.length > 0 && (
            <span className="block">
              {unplaced.map(([name, message]) => (
                <span key={name} id={`${formId}-${name}-error`} className="block">
                  {message}
                </span>
              ))}
            </span>
          )}
        </span>
      </form>
    </FormErrorsContext.Provider>
  );
}
