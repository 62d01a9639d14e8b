import { RegionOverview } from "@/components/layout/region-overview";
import { MessagePage } from "@/components/ui/message-page";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { guarded } from "@/lib/policy";
import { getRegionForUser } from "@/lib/regions/queries";

export default async function RegionPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await requireUser();
  const t = await getT();
  const region = await guarded(getRegionForUser(user, code));
  if (!region.ok) return <MessagePage title={t(region.refusal)} back={t("error.back")} />;
  return <RegionOverview user={user} region={region.value} />;
}
