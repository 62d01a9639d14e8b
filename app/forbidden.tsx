import { StandaloneMessage } from "@/components/ui/standalone-message";
import { getT } from "@/lib/i18n/server";

// HTTP 403 outside the portal shell (print views): the role may not open this page.
export default async function Forbidden() {
  const t = await getT();
  return <StandaloneMessage title={t("error.forbidden")} back={t("error.back")} />;
}
