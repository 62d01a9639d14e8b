import { RegistrationForm } from "@/components/print/registration-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { guarded, NotFoundError } from "@/lib/policy";
import { printPersonForm } from "@/lib/survey/print";

// The pre-filled A4 registration form of one registry person (from the person page).
export default async function PrintPersonPage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  const user = await requireUser();
  const t = await getT();
  // The URL holds the person's opaque key (lib/ids/person-ref.ts), never the ID number.
  const idNumber = idNumberOfRef(ref);
  const form = await guarded(idNumber ? printPersonForm(user, idNumber) : Promise.reject(new NotFoundError("person")), { page: "print-person" });
  if (!form.ok) refusePage(form.refusal);
  return <RegistrationForm t={t} form={form.value} printedAt={new Date().toISOString().slice(0, 10)} />;
}
