"use client";

import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { reviewAction } from "@/lib/review/actions";

// The reviewer's decision on one form: approve (primary) and return (danger, with a required reason
// and a confirmation). After a decision the action opens the next task of the queue (same filters);
// the page it opens confirms what was done to this one. A refusal keeps the input and marks the field.

export interface DecisionLabels {
  approve: string;
  approved: string;
  approveHint: string;
  ret: string;
  returned: string;
  returnHint: string;
  returnConfirm: string;
  reason: string;
  kind: string;
  kinds: { value: string; label: string }[];
}

export function ReviewDecision({ taskId, version, queue, mayApprove, ownWork, labels }: { taskId: number; version: number; queue: string; mayApprove: boolean; ownWork: string | null; labels: DecisionLabels }) {
  const hidden = (decision: string) => (
    <>
      <input type="hidden" name="taskId" value={taskId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="decision" value={decision} />
      <input type="hidden" name="queue" value={queue} />
    </>
  );
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="space-y-2 rounded border border-green-200 bg-green-50/50 p-3">
        {mayApprove ? (
          <>
            <p className="text-sm text-slate-600">{labels.approveHint}</p>
            <ActionForm action={reviewAction} submitLabel={labels.approve} okLabel={labels.approved} testId="approve">
              {hidden("approve")}
            </ActionForm>
          </>
        ) : (
          <p className="text-sm text-amber-800" data-testid="own-work">
            {ownWork}
          </p>
        )}
      </div>
      <div className="space-y-2 rounded border border-red-200 bg-red-50/40 p-3">
        <p className="text-sm text-slate-600">{labels.returnHint}</p>
        <ActionForm action={reviewAction} submitLabel={labels.ret} okLabel={labels.returned} testId="return" variant="danger" confirm={labels.returnConfirm} className="flex flex-col items-stretch gap-2">
          {hidden("return")}
          <Field name="returnKind" label={labels.kind}>
            <select name="returnKind" className="rounded border border-slate-300 bg-white px-3 py-2" data-testid="return-kind">
              {labels.kinds.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          <Field name="comment" label={labels.reason}>
            <textarea name="comment" rows={3} maxLength={500} className="rounded border border-slate-300 px-3 py-2" data-testid="return-comment" />
          </Field>
        </ActionForm>
      </div>
    </div>
  );
}
