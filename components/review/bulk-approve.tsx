"use client";

import { useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import type { ActionResult } from "@/lib/auth/action";
import { type BulkResult, bulkApproveAction } from "@/lib/review/actions";

// 批量通过 on the review queue: the queue's table (children, with one "task" checkbox per row) inside
// one form; the answer says how many were approved and lists each refused form with its reason.

export function BulkApproveForm({ children, submitLabel, confirm }: { children: React.ReactNode; submitLabel: string; confirm: string }) {
  const [result, setResult] = useState<BulkResult | null>(null);
  return (
    <div className="space-y-2">
      <ActionForm action={bulkApproveAction} submitLabel={submitLabel} confirm={confirm} testId="bulk-approve" className="flex flex-col items-start gap-3" onDone={(r: ActionResult) => setResult(r as BulkResult)}>
        {children}
      </ActionForm>
      {result?.ok && result.refused && result.refused.length > 0 && (
        <ul className="space-y-1 rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="bulk-refused">
          {result.refused.map((r) => (
            <li key={r.taskId} data-testid={`bulk-refused-${r.taskId}`}>
              #{r.taskId} {r.name}：{r.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Ticks or clears every enabled row checkbox of the enclosing form. */
export function SelectPage({ label }: { label: string }) {
  return (
    <label className="flex items-center gap-1 whitespace-nowrap">
      <input
        type="checkbox"
        aria-label={label}
        data-testid="select-page"
        onChange={(e) => {
          const form = e.currentTarget.closest("form");
          form?.querySelectorAll<HTMLInputElement>('input[name="task"]:not(:disabled)').forEach((c) => {
            c.checked = e.currentTarget.checked;
          });
        }}
      />
      <span className="sr-only sm:not-sr-only">{label}</span>
    </label>
  );
}
