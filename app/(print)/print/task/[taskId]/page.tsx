import { RegistrationForm } from "@/components/print/registration-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { guarded, NotFoundError } from "@/lib/policy";
import { printTaskForm } from "@/lib/survey/print";
import { parseId } from "@/lib/http/params";

// The pre-filled A4 registration form of one survey task.
export default async function PrintTaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const user = await requireUser();
  const t = await getT();
  const id = parseId(taskId);
  const form = await guarded(id !== null ? printTaskForm(user, id) : Promise.reject(new NotFoundError("task")));
  if (!form.ok) refusePage(form.refusal);
  return <RegistrationForm t={t} form={form.value} printedAt={new Date().toISOString().slice(0, 10)} />;
}
