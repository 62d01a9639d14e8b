import { forbidden } from "next/navigation";
import { ChangeList, type ChangeCardData } from "@/components/changes/change-list";
import { requireUser } from "@/lib/auth/session";
import { canSeeChanges, type ChangeListRow, listChangeRequests } from "@/lib/changes/queries";
import { getT } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

function card(r: ChangeListRow): ChangeCardData {
  return { ...r, person: { label: `${r.name ?? ""} ${r.maskedId}`, href: `/registry/${r.ref}` } };
}

// 变更登记: the requests waiting for the viewer's decision and the region's recent requests.
export default async function ChangesPage() {
  const user = await requireUser();
  const t = await getT();
  if (!canSeeChanges(user)) forbidden();
  const { pending, recent } = await listChangeRequests(user);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("change.title")}</h1>
      {pending.length > 0 || user.role !== "COMMUNITY_SURVEYOR" ? (
        <section>
          <h2 className="mb-2 font-medium">{t("change.pending")}</h2>
          <ChangeList t={t} rows={pending.map(card)} testId="changes-pending" />
        </section>
      ) : null}
      <section>
        <h2 className="mb-2 font-medium">{t("change.recent")}</h2>
        <ChangeList t={t} rows={recent.filter((r) => !pending.some((p) => p.id === r.id)).map((r) => card({ ...r, decidable: false }))} testId="changes-recent" />
      </section>
    </div>
  );
}
