import { MessagePage } from "@/components/ui/message-page";
import { getT } from "@/lib/i18n/server";

// HTTP 403: the user's role may not open this page (forbidden() in a page; lib/http/refuse.ts).
export default async function Forbidden() {
  const t = await getT();
  return <MessagePage title={t("error.forbidden")} back={t("error.back")} />;
}
