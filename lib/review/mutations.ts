import { DomainError } from "@/lib/auth/action";
import { prisma } from "@/lib/db/client";
import { type Actor, NotFoundError } from "@/lib/policy";
import { storeSurveyInRegistry } from "@/lib/registry/mutations";
import { keepStatsCurrent } from "@/lib/stats/registered";
import { ZStoredNewPerson, ZSurveyForm } from "@/lib/survey/schema";
import { applyTransition, loadTask } from "./transition";
import type { TTaskState } from "./workflow";

// 初审 (street) and 审定 (district). Which review it is follows from the task's state and the
// transition table; final approval stores the record in the registry in the same transaction.

export async function reviewTask(actor: Actor, input: { taskId: number; decision: "approve" | "return"; comment?: string; expectedVersion: number }): Promise<TTaskState> {
  return prisma().$transaction(async (tx) => {
    const task = await loadTask(tx, input.taskId);
    if (!task) throw new NotFoundError("task");
    const { to } = await applyTransition(tx, actor, task, input.decision, { expectedVersion: input.expectedVersion, comment: input.comment });
    if (to === "DISTRICT_APPROVED") {
      const form = await tx.surveyForm.findUnique({ where: { taskId: task.id } });
      const data = form?.data as Record<string, unknown> | undefined;
      const parsed = ZSurveyForm.safeParse(data);
      if (!parsed.success) throw new DomainError("review.err.formInvalid");
      // The newly found person's basic data reaches the registry only in the form it was entered in.
      const newPerson = data?.newPerson === undefined ? undefined : ZStoredNewPerson.safeParse(data.newPerson);
      if (newPerson && !newPerson.success) throw new DomainError("review.err.formInvalid");
      // statistics.md §2: 登记率's numerator moves with the approval, in its transaction
      await keepStatsCurrent(tx, task.idNumber, () =>
        storeSurveyInRegistry(tx, actor, task, { ...parsed.data, newPerson: newPerson?.data ? { ...newPerson.data, hukouAddress: newPerson.data.hukouAddress ?? null } : undefined }),
      );
      await tx.surveyTask.update({ where: { id: task.id }, data: { closedAt: new Date() } });
    }
    return to;
  });
}
