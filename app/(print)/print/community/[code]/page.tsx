import { RegistrationForm } from "@/components/print/registration-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { printCommunityForms } from "@/lib/survey/print";

// A community's batch: one pre-filled form per page for every open survey task.
export default async function PrintCommunityPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await requireUser();
  const t = await getT();
  const batch = await guarded(printCommunityForms(user, code));
  if (!batch.ok) refusePage(batch.refusal);
  const printedAt = new Date().toISOString().slice(0, 10);
  if (batch.value.forms.length === 0) return <p className="sheet text-sm" data-testid="print-empty">{t("print.noTasks")}</p>;
  return (
    <>
      {batch.value.forms.map((f) => (
        <RegistrationForm key={f.taskId ?? f.idNumber} t={t} form={f} printedAt={printedAt} />
      ))}
    </>
  );
}
