"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/auth/action";

// 区县意见 and 报送: the commentary textarea, saved as a draft or submitted with the report (which then
// freezes). What was typed stays when the server refuses it.

export function AnalysisForm({
  save,
  submit,
  district,
  month,
  version,
  commentary,
  labels,
}: {
  save: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  submit: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
  district: string;
  month: string;
  version: number;
  commentary: string;
  labels: { commentary: string; hint: string; save: string; submit: string; confirm: string };
}) {
  const [saved, saveDispatch, saving] = useActionState(save, null);
  const [submitted, submitDispatch, submitting] = useActionState(submit, null);
  const formRef = useRef<HTMLFormElement>(null);
  const router = useRouter();
  useEffect(() => {
    if (saved?.ok || submitted?.ok) router.refresh();
  }, [saved, submitted, router]);
  const run = (which: "save" | "submit") => {
    if (!formRef.current) return;
    if (which === "submit" && !window.confirm(labels.confirm)) return;
    const data = new FormData(formRef.current);
    startTransition(() => (which === "save" ? saveDispatch(data) : submitDispatch(data)));
  };
  const state = submitted ?? saved;
  const error = state && !state.ok ? (state.fieldErrors?.commentary ?? state.message) : null;
  return (
    <form ref={formRef} onSubmit={(e) => e.preventDefault()} className="space-y-2" data-testid="analysis-form">
      <input type="hidden" name="district" value={district} />
      <input type="hidden" name="month" value={month} />
      <input type="hidden" name="expectedVersion" value={version} />
      <label className="block text-sm">
        <span className="font-medium">{labels.commentary}</span>
        <span className="ml-2 text-xs text-slate-500">{labels.hint}</span>
        <textarea name="commentary" defaultValue={commentary} rows={6} maxLength={5000} className="mt-1 w-full rounded border border-slate-300 px-2 py-2 text-sm" data-testid="analysis-commentary" />
      </label>
      {error && <p className="text-sm text-red-600" role="alert" data-testid="analysis-error">{error}</p>}
      {state?.ok && <p className="text-sm text-green-700" role="status">{state.message}</p>}
      <div className="flex gap-2">
        <button type="button" disabled={saving || submitting} onClick={() => run("save")} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm" data-testid="analysis-save">
          {labels.save}
        </button>
        <button type="button" disabled={saving || submitting} onClick={() => run("submit")} className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white" data-testid="analysis-submit">
          {labels.submit}
        </button>
      </div>
    </form>
  );
}
