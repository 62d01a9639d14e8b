import { MessagePage } from "@/components/ui/message-page";
import { getT } from "@/lib/i18n/server";

// HTTP 404: nothing here, or nothing in the user's region (the same answer for both).
export default async function NotFound() {
  const t = await getT();
  return <MessagePage title={t("error.notFound")} back={t("error.back")} />;
}
