"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionResult, authedAction, requireActor, runAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { requirePermission } from "@/lib/policy";
import { addNewlyFoundPerson, assignTasks, closeUnreachable, createTeam, recordVisit, releaseToStreets, reopenTask, saveDraft, submitForm } from "./mutations";
import { FAILED_OUTCOMES, ZNewPerson } from "./schema";

const ZId = z.coerce.number().int().positive();

export const releaseAction = authedAction("task:assign-street", z.object({ streetCode: z.string().regex(/^\d{6,9}$/).optional() }), async (actor, input) => {
  const n = await releaseToStreets(actor, input.streetCode);
  revalidatePath("/tasks");
  return { ok: true, message: (await getT())("tasks.released", { n }) };
});

export const createTeamAction = authedAction(
  "task:assign-community",
  // Members come as checkboxes named member_<userId>.
  z.object({ communityCode: z.string().regex(/^\d{12}$/), name: z.string().trim().min(1).max(40) }).loose(),
  async (actor, input) => {
    const memberIds = Object.keys(input)
      .filter((k) => /^member_\d+$/.test(k))
      .map((k) => Number(k.slice(7)));
    await createTeam(actor, { communityCode: input.communityCode, name: input.name, memberIds });
    revalidatePath("/tasks");
  },
);

export const assignAction = authedAction("task:assign-community", z.object({ teamId: ZId }), async (actor, input) => {
  const n = await assignTasks(actor, { teamId: input.teamId });
  revalidatePath("/tasks");
  return { ok: true, message: (await getT())("tasks.assigned", { n }) };
});

export const reopenAction = authedAction("task:reopen", z.object({ taskId: ZId, version: ZId }), async (actor, input) => {
  await reopenTask(actor, input.taskId, input.version);
  revalidatePath("/tasks");
});

export const recordVisitAction = authedAction("survey:fill", z.object({ taskId: ZId, outcome: z.enum(FAILED_OUTCOMES), note: z.string().max(200).optional() }), async (actor, input) => {
  await recordVisit(actor, input.taskId, input.outcome, input.note);
  revalidatePath(`/survey/${input.taskId}`);
});

export const closeUnreachableAction = authedAction("survey:fill", z.object({ taskId: ZId, version: ZId, reason: z.string().trim().max(200).default("") }), async (actor, input) => {
  await closeUnreachable(actor, input.taskId, input.reason, input.version);
  revalidatePath(`/survey/${input.taskId}`);
  revalidatePath("/survey");
});

export const addNewPersonAction = authedAction("survey:fill", ZNewPerson.extend({ teamId: ZId }), async (actor, input) => {
  const id = await addNewlyFoundPerson(actor, input);
  redirect(`/survey/${id}`);
});

/** Saves a draft from the phone form; returns the task's new version for the next save. */
export async function saveDraftAction(taskId: number, version: number, data: unknown): Promise<ActionResult & { version?: number }> {
  return runAction(async () => {
    const actor = await requireActor();
    requirePermission(actor, "survey:fill");
    const v = await saveDraft(actor, ZId.parse(taskId), data, ZId.parse(version));
    return { ok: true, version: v };
  });
}

/** Submits the form: the same zod schema as the phone validated it with, checked again here. */
export async function submitFormAction(taskId: number, version: number, data: unknown): Promise<ActionResult> {
  return runAction(async () => {
    const actor = await requireActor();
    requirePermission(actor, "survey:fill");
    await submitForm(actor, ZId.parse(taskId), data, ZId.parse(version));
    // No revalidatePath here: the form pushes /survey and refreshes itself on success
    // (components/survey/survey-form.tsx), and every portal page is dynamic (nothing cached on the
    // server). A revalidatePath in an action makes Next render the form's whole page again into
    // the action's answer — most of a submission's cost, for a tree the client throws away.
    return { ok: true };
  });
}
