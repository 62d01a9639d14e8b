"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction, type ActionResult, requireActor, runAction } from "@/lib/auth/action";
import { translator } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { requirePermission } from "@/lib/policy";
import { bulkApprove, RETURN_KINDS, reviewTask } from "./mutations";
import { nextInQueue, parseQueueFilter, queueFilterQuery } from "./queue";

const ZReview = z.object({
  taskId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  decision: z.enum(["approve", "return"]),
  comment: z.string().trim().max(500).optional(),
  /** On a return: what kind of correction the surveyor has to make (leads the comment). */
  returnKind: z.enum(RETURN_KINDS).optional().or(z.literal("").transform(() => undefined)),
  /** The queue's filter as URL parameters ("?region=…&q=…"), to open the next task of the same list. */
  queue: z.string().max(500).optional(),
});

// Either review level: which one follows from the task's state (lib/review/workflow.ts); the
// permission for it is checked there against the task's region. On a return the reviewer may say
// what kind of correction is needed; it leads the comment the surveyor reads. After the decision the
// following task of the queue with the same filter opens, or the queue when none is left.
export const reviewAction = authedAction("task:view", ZReview, async (actor, input) => {
  // The kind alone is no reason: without a comment the return is refused (workflow: needsComment).
  // Stored in Chinese, as every comment the surveyor reads.
  const kind = input.returnKind ? translator("zh")(`review.returnKind.${input.returnKind}`) : null;
  const comment = input.decision === "return" && kind && input.comment ? `【${kind}】${input.comment}` : input.comment;
  await reviewTask(actor, { taskId: input.taskId, decision: input.decision, comment, expectedVersion: input.version });
  revalidatePath("/review");
  revalidatePath(`/review/${input.taskId}`);
  const filter = parseQueueFilter(Object.fromEntries(new URLSearchParams(input.queue ?? "")));
  const next = await nextInQueue(actor, filter, input.taskId).catch(() => null);
  const done = input.decision === "approve" ? "approved" : "returned";
  // The next task opens (or the queue when none is left); the page opened confirms the decision.
  redirect(next ? `/review/${next}${queueFilterQuery(filter, { done, from: input.taskId })}` : `/review${queueFilterQuery(filter, { done, from: input.taskId })}`);
});

export type BulkResult = ActionResult & { approved?: number; refused?: { taskId: number; name: string; reason: string }[] };

// 批量通过: the ticked forms of the queue ("task" = "<id>:<version>", one per checkbox), each approved
// on its own with the same checks as one by one (lib/review/mutations.ts bulkApprove).
export async function bulkApproveAction(_prev: ActionResult | null, formData: FormData): Promise<BulkResult> {
  return runAction<{ approved: number; refused: { taskId: number; name: string; reason: string }[] }>(async () => {
    const actor = await requireActor();
    const t = await getT();
    const items = z
      .array(z.string().regex(/^\d{1,10}:\d{1,10}$/))
      .max(500)
      .parse(formData.getAll("task"))
      .map((v) => {
        const [taskId, version] = v.split(":").map(Number);
        return { taskId, version };
      });
    if (items.length === 0) return { ok: false, message: t("review.bulk.noneSelected"), fieldErrors: { task: t("review.bulk.noneSelected") } };
    requirePermission(actor, "task:view");
    const result = await bulkApprove(actor, items);
    revalidatePath("/review");
    const refused = result.refused.map((r) => ({ taskId: r.taskId, name: r.name, reason: t(r.key, r.params) }));
    return {
      ok: true,
      message: t(refused.length ? "review.bulk.partly" : "review.bulk.done", { approved: result.approved.length, refused: refused.length }),
      approved: result.approved.length,
      refused,
    };
  });
}
