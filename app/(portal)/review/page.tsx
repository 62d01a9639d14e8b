import { forbidden } from "next/navigation";
import { TaskList } from "@/components/survey/task-list";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { roleHas } from "@/lib/policy";
import { reviewQueue } from "@/lib/survey/queries";

export default async function ReviewQueuePage() {
  const user = await requireUser();
  const t = await getT();
  const initial = roleHas(user.role, "review:initial");
  if (!initial && !roleHas(user.role, "review:final")) forbidden();
  const tasks = await reviewQueue(user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{initial ? t("review.initial") : t("review.final")}</h1>
      <TaskList tasks={tasks} hrefBase="/review" />
    </div>
  );
}
