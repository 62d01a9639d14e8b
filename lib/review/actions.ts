"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { reviewTask } from "./mutations";

const ZReview = z.object({
  taskId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  decision: z.enum(["approve", "return"]),
  comment: z.string().trim().max(500).optional(),
});

// Either review level: which one follows from the task's state (lib/review/workflow.ts); the
// permission for it is checked there against the task's region.
export const reviewAction = authedAction("task:view", ZReview, async (actor, input) => {
  await reviewTask(actor, { taskId: input.taskId, decision: input.decision, comment: input.comment, expectedVersion: input.version });
  revalidatePath("/review");
  revalidatePath(`/review/${input.taskId}`);
});
