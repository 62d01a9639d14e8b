import { RegionOverview } from "@/components/layout/region-overview";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { guarded } from "@/lib/policy";
import { getRegionForUser } from "@/lib/regions/queries";

export default async function RegionPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await requireUser();
  const region = await guarded(getRegionForUser(user, code));
  if (!region.ok) refusePage(region.refusal);
  return <RegionOverview user={user} region={region.value} />;
}
