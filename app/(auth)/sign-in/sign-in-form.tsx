"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SignInForm({ labels }: { labels: { login: string; password: string; submit: string; failed: string; locked: string } }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { login: data.get("login"), password: data.get("password"), redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(result?.error === "locked" ? labels.locked : labels.failed);
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <label className="block">
        <span className="text-sm text-slate-700">{labels.login}</span>
        <input name="login" autoComplete="username" required className="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
      </label>
      <label className="block">
        <span className="text-sm text-slate-700">{labels.password}</span>
        <input name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
      </label>
      <p aria-live="polite" className="min-h-5 text-sm text-red-600" data-testid="sign-in-error">
        {error ?? ""}
      </p>
      <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {labels.submit}
      </button>
    </form>
  );
}
