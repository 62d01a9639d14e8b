"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionResult, authedAction, requireActor, runAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { requirePermission } from "@/lib/policy";
import { assignSelection, createCommunityTeam, ZTaskFilter } from "./assign";
import { addNewlyFoundPerson, closeUnreachable, recordVisit, releaseToStreets, reopenTask, saveDraft, submitForm } from "./mutations";
import { FAILED_OUTCOMES, ZNewPerson } from "./schema";

const ZId = z.coerce.number().int().positive();
const ZTeamForm = z.object({
  communityCode: z.string().regex(/^\d{12}$/, "msg:assign.err.chooseCommunity"),
  name: z.string().trim().min(1, "msg:assign.err.teamName").max(40, "msg:assign.err.teamName"),
  memberIds: z.array(z.coerce.number().int().positive()).min(1, "msg:assign.err.chooseSurveyors"),
});
const ZAssignForm = z.object({
  teamId: z.coerce.number({ error: "msg:assign.err.chooseTeam" }).int().positive("msg:assign.err.chooseTeam"),
  taskIds: z.array(z.coerce.number().int().positive()).max(5000),
  all: z.literal("1").optional(),
});

export const releaseAction = authedAction("task:assign-street", z.object({ streetCode: z.string().regex(/^\d{6,9}$/, "msg:assign.err.streetCode").optional() }), async (actor, input) => {
  const n = await releaseToStreets(actor, input.streetCode);
  revalidatePath("/tasks");
  return { ok: true, message: (await getT())("tasks.released", { n }) };
});

/**
 * 新建调查小组. Members come as checkboxes named memberIds (one value each); every field in error is
 * named with its own message, and lib/survey/assign.ts refuses a surveyor of another community.
 */
export async function createTeamAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const actor = await requireActor();
    const input = ZTeamForm.parse({ ...Object.fromEntries(formData), memberIds: formData.getAll("memberIds") });
    requirePermission(actor, "task:assign-community");
    const team = await createCommunityTeam(actor, input);
    revalidatePath("/tasks");
    return { ok: true, message: (await getT())("assign.teamCreated", { name: input.name, members: team.members.join("、") }) };
  });
}

/**
 * 分配 (and 改派): the ticked tasks (task=<id>, repeated) or, with all=1, every task matching the
 * list's filter sent along, to one team; answers what it did.
 */
export async function assignAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const actor = await requireActor();
    const input = ZAssignForm.parse({ teamId: formData.get("teamId") ?? "", taskIds: formData.getAll("task"), all: formData.get("all") ?? undefined });
    requirePermission(actor, "task:assign-community");
    const filter = input.all ? ZTaskFilter.parse(Object.fromEntries(["community", "category", "state", "team", "q", "addr"].map((k) => [k, formData.get(k) ?? undefined]))) : undefined;
    const r = await assignSelection(actor, { teamId: input.teamId, taskIds: input.all ? undefined : input.taskIds, filter });
    revalidatePath("/tasks");
    const t = await getT();
    const message =
      t("assign.done", { n: r.assigned, team: r.teamName, community: r.communityName }) +
      (r.reassigned ? t("assign.doneReassigned", { r: r.reassigned }) : "") +
      (r.skipped ? t("assign.doneSkipped", { s: r.skipped }) : "");
    return { ok: true, message };
  });
}

export const reopenAction = authedAction("task:reopen", z.object({ taskId: ZId, version: ZId }), async (actor, input) => {
  await reopenTask(actor, input.taskId, input.version);
  revalidatePath("/tasks");
  return { ok: true, message: (await getT())("assign.reopened") };
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
  // the new task's form opens, confirming the addition (banner)
  redirect(`/survey/${id}?added=1`);
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
