import { forbidden } from "next/navigation";
import Link from "next/link";
import { ContactForm } from "@/components/outreach/contact-form";
import { refusePage } from "@/lib/http/refuse";
import { writeAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { recordContactAction } from "@/lib/outreach/actions";
import { ledgerCells } from "@/lib/outreach/format";
import { getEntry } from "@/lib/outreach/queries";
import { CHANNELS, OUTCOMES, todayCst } from "@/lib/outreach/schema";
import { can, guarded } from "@/lib/policy";
import { schemeLabel } from "@/lib/registry/labels";

export const dynamic = "force-dynamic";

// One person of the ledger: what they lack, contact data, the survey's reason, the contacts so far
// and (for street clerks and community surveyors, while the entry is open) the contact form.
export default async function OutreachEntryPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "outreach:view")) forbidden();
  const id = Number((await params).id);
  const loaded = await guarded(getEntry(user, id));
  if (!loaded.ok) refusePage(loaded.refusal);
  const e = loaded.value;
  await writeAudit(user, { action: "outreach.view", entity: "outreach_entry", entityId: String(e.entryId), regionCode: e.regionCode, detail: { rows: 1 } });
  const c = ledgerCells(t, e);
  const canRecord = e.status === "OPEN" && can(user, "outreach:record", e.regionCode);
  return (
    <div className="space-y-4">
      <Link href="/outreach" className="text-sm text-blue-700 underline">
        {t("outreach.back")}
      </Link>
      <h1 className="text-2xl font-semibold" data-testid="outreach-entry-name">
        {c.name || "—"}
      </h1>
      <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <h2 className="mb-2 font-medium">{t("outreach.person")}</h2>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2">
          {(
            [
              ["outreach.col.idNumber", c.id],
              ["outreach.statusFilter", t(`outreach.status.${e.status}` as TMessageKey)],
              ["outreach.col.community", c.community],
              ["outreach.col.category", c.category],
              ["outreach.col.missing", c.missing],
              ["outreach.col.interrupted", c.interrupted],
              ["outreach.entryMissing", e.entryMissing.map((s) => schemeLabel(t, s)).join("、")],
              ["outreach.col.phone", c.phone],
              ["outreach.col.address", c.address],
              ["outreach.col.reason", c.reason],
              ["outreach.col.source", t(`outreach.source.${e.source}` as TMessageKey)],
              ["outreach.col.promised", c.promised],
            ] as const
          ).map(([k, v]) => (
            <div key={k} className="flex gap-1">
              <dt className="shrink-0 text-slate-500">{t(k)}：</dt>
              <dd className="min-w-0 break-all">{v || "—"}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-xs text-slate-500">{t("outreach.enteredBy", { run: e.runId })}</p>
      </section>

      {canRecord ? (
        <section className="rounded-lg border border-slate-200 bg-white p-3">
          <h2 className="mb-2 font-medium">{t("outreach.record")}</h2>
          <ContactForm
            action={recordContactAction}
            entryId={e.entryId}
            today={todayCst()}
            channels={CHANNELS.map((v) => ({ value: v, label: t(`outreach.channel.${v}`) }))}
            outcomes={OUTCOMES.map((v) => ({ value: v, label: t(`outreach.outcome.${v}`) }))}
            labels={{
              contactedOn: t("outreach.contactedOn"),
              channel: t("outreach.channel"),
              outcome: t("outreach.outcome"),
              promisedOn: t("outreach.promisedOn"),
              note: t("outreach.note"),
              choose: t("outreach.choose"),
              save: t("outreach.save"),
              saving: t("outreach.saving"),
            }}
          />
        </section>
      ) : (
        e.status !== "OPEN" && <p className="text-sm text-slate-600">{t("outreach.notOpenHint")}</p>
      )}

      <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <h2 className="mb-2 font-medium">{t("outreach.contacts")}</h2>
        {e.contactList.length === 0 ? (
          <p className="text-slate-600">{t("outreach.noContacts")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="contact-list">
            {e.contactList.map((x) => (
              <li key={x.id} className="py-2" data-testid="contact-row">
                <div className="flex flex-wrap gap-x-3">
                  <span className="tabular-nums">{x.contactedOn}</span>
                  <span>{t(`outreach.channel.${x.channel}` as TMessageKey)}</span>
                  <span className="font-medium">{t(`outreach.outcome.${x.outcome}` as TMessageKey)}</span>
                  {x.promisedOn && (
                    <span>
                      {t("outreach.promisedOn")}：{x.promisedOn}
                    </span>
                  )}
                </div>
                {x.note && <p className="text-slate-700">{x.note}</p>}
                {x.recordedBy && (
                  <p className="text-xs text-slate-500">
                    {t("outreach.recordedBy")}：{x.recordedBy}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
