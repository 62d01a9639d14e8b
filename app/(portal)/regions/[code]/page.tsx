import { RegionOverview } from "@/components/layout/region-overview";
import { MessagePage } from "@/components/ui/message-page";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { NotAllowedError, NotFoundError } from "@/lib/policy";
import { getRegionForUser } from "@/lib/regions/queries";

export default async function RegionPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await requireUser();
  const t = await getT();
  try {
    const region = await getRegionForUser(user, code);
    return <RegionOverview user={user} region={region} />;
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof NotAllowedError) {
      return <MessagePage title={t(e instanceof NotFoundError ? "error.notFound" : "error.forbidden")} back={t("error.back")} />;
    }
    throw e;
  }
}
