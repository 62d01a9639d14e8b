"use server";

import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { requirePermission } from "@/lib/policy";
import { runComparison } from "./run";
import { ZStartComparison } from "./schema";
import { logError } from "@/lib/log";

// 开始比对 (city staff only: "comparison:run"). The run goes on in the background of the server
// process; the list and the run's page show its progress (job_progress, lib/jobs/progress.ts) and, when it is done, its results. The run
// writes its own audit row in its transaction (run.ts).
export const startComparisonAction = authedAction("comparison:run", ZStartComparison, async (actor, input) => {
  requirePermission(actor, "comparison:run");
  const runId = await new Promise<number>((resolve, reject) => {
    let known = false;
    runComparison({
      asOf: input.asOf,
      basis: input.basis,
      deadline: input.deadline ?? null,
      startedBy: { id: actor.id, login: actor.login },
      onProgress: (p) => {
        if (!known) {
          known = true;
          resolve(p.runId);
        }
      },
    })
      .catch((e) => {
        if (!known) reject(e);
        else logError("comparison run", e);
      });
  });
  const t = await getT();
  return { ok: true, message: t("comparison.started", { id: runId }) };
});
