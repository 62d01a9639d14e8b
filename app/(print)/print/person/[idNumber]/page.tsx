import { RegistrationForm } from "@/components/print/registration-form";
import { MessagePage } from "@/components/ui/message-page";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { printPersonForm } from "@/lib/survey/print";

// The pre-filled A4 registration form of one registry person (from the person page).
export default async function PrintPersonPage({ params }: { params: Promise<{ idNumber: string }> }) {
  const { idNumber } = await params;
  const user = await requireUser();
  const t = await getT();
  const form = await guarded(printPersonForm(user, decodeURIComponent(idNumber)));
  if (!form.ok) return <MessagePage title={t(form.refusal)} back={t("error.back")} />;
  return <RegistrationForm t={t} form={form.value} printedAt={new Date().toISOString().slice(0, 10)} />;
}
