"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/auth/action";
import { changeOwnPasswordAction } from "@/lib/users/actions";

const input = "mt-1 w-full rounded border border-slate-300 px-3 py-2";

export function ChangePasswordForm({ login, labels }: { login: string; labels: { current: string; next: string; confirm: string; submit: string; changed: string } }) {
  const router = useRouter();
  const nextPassword = useRef("");
  const [state, formAction, pending] = useActionState(async (prev: ActionResult | null, data: FormData) => {
    nextPassword.current = String(data.get("next") ?? "");
    return changeOwnPasswordAction(prev, data);
  }, null);

  // The change ended every session of the account, this one included: sign in with the new password.
  useEffect(() => {
    if (!state?.ok) return;
    void signIn("credentials", { login, password: nextPassword.current, redirect: false }).then((result) => {
      router.replace(result && !result.error ? "/" : "/sign-in");
      router.refresh();
    });
  }, [state, login, router]);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} className="space-y-3" data-testid="change-password">
      {(["current", "next", "confirm"] as const).map((name) => (
        <label key={name} className="block">
          <span className="text-sm text-slate-700">{labels[name]}</span>
          <input name={name} type="password" autoComplete={name === "current" ? "current-password" : "new-password"} required className={input} />
          {errors[name] ? <span className="text-sm text-red-600">{errors[name]}</span> : null}
        </label>
      ))}
      <p aria-live="polite" className={`min-h-5 text-sm ${state?.ok ? "text-green-700" : "text-red-600"}`} data-testid="change-password-result">
        {state ? (state.ok ? labels.changed : state.message) : ""}
      </p>
      <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {labels.submit}
      </button>
    </form>
  );
}
