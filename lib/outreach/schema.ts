import { z } from "zod";

// The outreach ledger's vocabulary and the contact form's zod schema (server action and form).
// Messages are catalogue keys ("msg:<key>"), shown next to their field in the user's language.

/** Categories of a run that put a person in the ledger (statistics.md §5). */
export const LEDGER_CATEGORIES = ["NOT_INSURED", "PARTIAL", "INTERRUPTED"] as const;
export const ENTRY_STATUSES = ["OPEN", "ENROLLED", "CLOSED"] as const;
export type TEntryStatus = (typeof ENTRY_STATUSES)[number];
/** 联系方式: telephone, home visit, text message, WeChat, at the service counter. */
export const CHANNELS = ["PHONE", "VISIT", "SMS", "WECHAT", "COUNTER"] as const;
/** 联系结果 */
export const OUTCOMES = ["WILL_ENROL", "REFUSES", "CANNOT_AFFORD", "ENROLLED_ELSEWHERE", "UNREACHABLE"] as const;

const isoDate = (requiredKey: string) =>
  z
    .string({ error: `msg:${requiredKey}` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `msg:${requiredKey}`)
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, "msg:outreach.err.date");

/** Today's date (YYYY-MM-DD) in China Standard Time, the programme's calendar. */
export function todayCst(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const ZContact = z
  .object({
    entryId: z.coerce.number().int().positive(),
    contactedOn: isoDate("outreach.err.contactedOn"),
    channel: z.enum(CHANNELS, { error: "msg:outreach.err.channel" }),
    outcome: z.enum(OUTCOMES, { error: "msg:outreach.err.outcome" }),
    promisedOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(isoDate("outreach.err.date").optional()),
    note: z
      .string()
      .trim()
      .max(500, "msg:outreach.err.noteTooLong")
      .optional()
      .transform((v) => (v ? v : undefined)),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, key: string) => ctx.addIssue({ code: "custom", path: [path], message: `msg:${key}` });
    if (c.contactedOn > todayCst()) issue("contactedOn", "outreach.err.contactedFuture");
    // "Will enrol" needs the date they promised; the promise cannot lie before the contact.
    if (c.outcome === "WILL_ENROL" && !c.promisedOn) issue("promisedOn", "outreach.err.promisedRequired");
    if (c.promisedOn && c.promisedOn < c.contactedOn) issue("promisedOn", "outreach.err.promisedBefore");
  });
export type TContact = z.infer<typeof ZContact>;

/** The ledger list's filters from the query string (anything invalid is dropped). */
export interface LedgerFilter {
  q?: string;
  region?: string;
  overdue?: boolean;
  status?: TEntryStatus;
}

export function cleanLedgerFilter(raw: Record<string, string | string[] | undefined>): LedgerFilter {
  const s = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string).trim() : "");
  const f: LedgerFilter = {};
  const q = s("q");
  if (q && q.length <= 40) f.q = q;
  if (/^\d{4,12}$/.test(s("region"))) f.region = s("region");
  if (s("overdue") === "1") f.overdue = true;
  if ((ENTRY_STATUSES as readonly string[]).includes(s("status"))) f.status = s("status") as TEntryStatus;
  return f;
}
