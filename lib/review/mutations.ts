import { DomainError } from "@/lib/auth/action";
import { prisma } from "@/lib/db/client";
import type { TMessageKey } from "@/lib/i18n/messages";
import { type Actor, NotAllowedError, NotFoundError } from "@/lib/policy";
import { storeSurveyInRegistry } from "@/lib/registry/mutations";
import { keepStatsCurrent } from "@/lib/stats/registered";
import { ZStoredNewPerson, ZSurveyForm } from "@/lib/survey/schema";
import { applyTransition, loadTask } from "./transition";
import type { TTaskState } from "./workflow";

/** What a return asks the surveyor to do (its label leads the return's comment). */
export const RETURN_KINDS = ["WRONG", "INCOMPLETE", "EVIDENCE", "OTHER"] as const;

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

export interface BulkRefusal {
  taskId: number;
  name: string;
  /** The catalogue message key of the refusal and its parameters. */
  key: TMessageKey;
  params?: Record<string, string | number>;
}

/**
 * 批量通过: approves each selected form as reviewTask does one by one — its own transaction, its own
 * version check, its own four-eyes check, its own transition through lib/review/transition.ts — so
 * that one refusal leaves the others untouched. Answers the tasks approved and each refused one with
 * its reason (a task outside the actor's scope is refused as not found, like any other request).
 */
export async function bulkApprove(actor: Actor, items: { taskId: number; version: number }[]): Promise<{ approved: number[]; refused: BulkRefusal[] }> {
  const approved: number[] = [];
  const refused: BulkRefusal[] = [];
  const seen = new Set<number>();
  for (const item of items) {
    if (seen.has(item.taskId)) continue;
    seen.add(item.taskId);
    try {
      await reviewTask(actor, { taskId: item.taskId, decision: "approve", expectedVersion: item.version });
      approved.push(item.taskId);
    } catch (e) {
      if (e instanceof DomainError) refused.push({ taskId: item.taskId, name: "", key: e.key, params: e.params });
      else if (e instanceof NotFoundError || e instanceof NotAllowedError) refused.push({ taskId: item.taskId, name: "", key: "error.notFound" });
      else throw e;
    }
  }
  // Names of the refused tasks the actor may see (for the message), read in one scoped query.
  if (refused.length && actor.regionCode) {
    const names = await prisma().$queryRaw<{ id: number; name: string }[]>`
      SELECT t.id, COALESCE(p.name, f.data -> 'newPerson' ->> 'name', '') AS name
        FROM survey_task t LEFT JOIN person p ON p.id_number = t.id_number::char(18) LEFT JOIN survey_form f ON f.task_id = t.id
       WHERE t.id = ANY(${refused.map((r) => r.taskId)}::int[]) AND starts_with(t.region_code, ${actor.regionCode})`;
    const byId = new Map(names.map((n) => [n.id, n.name]));
    for (const r of refused) r.name = r.key === "error.notFound" ? "" : (byId.get(r.taskId) ?? "");
  }
  return { approved, refused };
}
