"use client";

import { signOut } from "next-auth/react";
import { clearSurveyDrafts, unsyncedSurveyDrafts } from "@/components/survey/draft-storage";

// Signing out clears the survey drafts kept in this browser (a shared or lost phone must not keep
// personal data). A draft that never reached the server is named first: the user may stay signed
// in and sync it.
export function SignOutButton({ label, unsyncedWarning }: { label: string; unsyncedWarning?: string }) {
  function onClick() {
    if (unsyncedSurveyDrafts() > 0 && unsyncedWarning && !window.confirm(unsyncedWarning)) return;
    clearSurveyDrafts();
    void signOut({ callbackUrl: "/sign-in" });
  }
  return (
    <button type="button" onClick={onClick} className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100" data-testid="sign-out">
      {label}
    </button>
  );
}
