import { writeAudit } from "@/lib/audit/log";
import { DomainError } from "@/lib/auth/errors";
import { prisma } from "@/lib/db/client";
import { type Actor, NotFoundError, requireInScope } from "@/lib/policy";
import type { TContact } from "./schema";

// Writes of the outreach ledger: a contact with a person, recorded with its audit row in one
// transaction. The entry must be open and in the actor's region (else "not found").

export async function recordContact(actor: Actor, input: TContact): Promise<number> {
  return prisma().$transaction(async (tx) => {
    // Lock the entry: a run settling it at the same moment waits, and the status read stays true.
    const [entry] = await tx.$queryRaw<{ id: number; status: string; region_code: string | null; id_number: string }[]>`
      SELECT id, status, region_code, id_number FROM outreach_entry WHERE id = ${input.entryId} FOR UPDATE`;
    if (!entry) throw new NotFoundError("outreach entry");
    requireInScope(actor, "outreach:record", entry.region_code);
    if (entry.status !== "OPEN") throw new DomainError("outreach.err.notOpen");
    const contact = await tx.outreachContact.create({
      data: {
        entryId: entry.id,
        contactedOn: new Date(`${input.contactedOn}T00:00:00Z`),
        channel: input.channel,
        outcome: input.outcome,
        promisedOn: input.promisedOn ? new Date(`${input.promisedOn}T00:00:00Z`) : null,
        note: input.note ?? null,
        recordedById: actor.id,
      },
    });
    await writeAudit(
      actor,
      {
        action: "outreach.contact",
        entity: "outreach_entry",
        entityId: String(entry.id),
        regionCode: entry.region_code,
        detail: { contactId: contact.id, contactedOn: input.contactedOn, channel: input.channel, outcome: input.outcome, promisedOn: input.promisedOn ?? null },
      },
      tx,
    );
    return contact.id;
  });
}
