"use client";

import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/sign-in" })} className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100" data-testid="sign-out">
      {label}
    </button>
  );
}
