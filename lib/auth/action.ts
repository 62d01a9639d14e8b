import type { z } from "zod";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { type Actor, NotAllowedError, NotFoundError, requirePermission, type TPermission } from "@/lib/policy";
import { currentUser } from "./session";

// Every server action has one shape: authenticate → parse with the shared zod schema → authorize
// via lib/policy → call a mutation (which writes its audit row in its own transaction).

export type ActionResult = { ok: true; message?: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/** An expected domain refusal whose message comes from the catalogue. */
export class DomainError extends Error {
  constructor(public readonly key: TMessageKey, public readonly params?: Record<string, string | number>, public readonly field?: string) {
    super(key);
    this.name = "DomainError";
  }
}

export function authedAction<S extends z.ZodType>(
  permission: TPermission,
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<ActionResult | void>,
): (prev: ActionResult | null, formData: FormData) => Promise<ActionResult> {
  return async (_prev, formData) => {
    const t = await getT();
    const actor = await currentUser();
    if (!actor) return { ok: false, message: t("error.forbidden") };
    const parsed = schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "_");
        fieldErrors[key] ??= issue.message.startsWith("msg:") ? t(issue.message.slice(4) as TMessageKey) : issue.message;
      }
      return { ok: false, message: Object.values(fieldErrors)[0] ?? t("error.generic"), fieldErrors };
    }
    try {
      requirePermission(actor, permission);
      return (await run(actor, parsed.data)) ?? { ok: true };
    } catch (e) {
      if (e instanceof DomainError) {
        const message = t(e.key, e.params);
        return { ok: false, message, fieldErrors: e.field ? { [e.field]: message } : undefined };
      }
      if (e instanceof NotAllowedError) return { ok: false, message: t("error.forbidden") };
      if (e instanceof NotFoundError) return { ok: false, message: t("error.notFound") };
      console.error(e);
      return { ok: false, message: t("error.generic") };
    }
  };
}
