import { StandaloneMessage } from "@/components/ui/standalone-message";
import { getT } from "@/lib/i18n/server";

// HTTP 404 for an address the portal does not have (in Chinese, not the framework's English page).
export default async function NotFound() {
  const t = await getT();
  return <StandaloneMessage title={t("error.notFound")} back={t("error.back")} />;
}
