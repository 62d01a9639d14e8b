import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { logError } from "@/lib/log";
import { type Actor, NotAllowedError, NotFoundError, recordRefusal, requirePermission, type TPermission } from "@/lib/policy";
import { DomainError } from "./errors";
import { currentUser } from "./session";

export { DomainError };

// Every server action has one shape: authenticate → parse with the shared zod schema → authorize
// via lib/policy → call a mutation (which writes its audit row in its own transaction).

export type ActionResult = { ok: true; message?: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/** Runs an action body and turns expected refusals into catalogue messages (anything else is logged). */
export async function runAction<T extends object = object>(body: () => Promise<(ActionResult & T) | ActionResult | void>): Promise<ActionResult & Partial<T>> {
  const t = await getT();
  try {
    return ((await body()) ?? { ok: true }) as ActionResult & Partial<T>;
  } catch (e) {
    // Next's redirect() and notFound() work by throwing: let them through.
    unstable_rethrow(e);
    if (e instanceof DomainError) {
      const message = t(e.key, e.params);
      return { ok: false, message, fieldErrors: e.field ? { [e.field]: message } : undefined } as ActionResult & Partial<T>;
    }
    if (e instanceof z.ZodError) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of e.issues) {
        const key = String(issue.path[0] ?? "_");
        fieldErrors[key] ??= issue.message.startsWith("msg:") ? t(issue.message.slice(4) as TMessageKey) : issue.message;
      }
      return { ok: false, message: t("survey.fixErrors"), fieldErrors } as ActionResult & Partial<T>;
    }
    if (e instanceof NotAllowedError || e instanceof NotFoundError) {
      // Refused requests are audited too (issue 11 §6): a replayed action on another region's record.
      await recordRefusal(e, { via: "action" }).catch((err) => logError("audit refusal", err));
      return { ok: false, message: t(e instanceof NotFoundError ? "error.notFound" : "error.forbidden") } as ActionResult & Partial<T>;
    }
    logError("server action", e);
    return { ok: false, message: t("error.generic") } as ActionResult & Partial<T>;
  }
}

/** The signed-in actor for an action, or a NotAllowedError (signed out, disabled). */
export async function requireActor(): Promise<Actor> {
  const actor = await currentUser();
  if (!actor) throw new NotAllowedError("region:view");
  return actor;
}

export function authedAction<S extends z.ZodType>(
  permission: TPermission,
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<ActionResult | void>,
): (prev: ActionResult | null, formData: FormData) => Promise<ActionResult> {
  return async (_prev, formData) =>
    runAction(async () => {
      const actor = await requireActor();
      const input = schema.parse(Object.fromEntries(formData));
      requirePermission(actor, permission);
      return run(actor, input);
    });
}
