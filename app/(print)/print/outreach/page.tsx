import { forbidden } from "next/navigation";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { getT } from "@/lib/i18n/server";
import { ledgerCells } from "@/lib/outreach/format";
import { openLedger } from "@/lib/outreach/queries";
import { cleanLedgerFilter } from "@/lib/outreach/schema";
import { can, guarded } from "@/lib/policy";

export const dynamic = "force-dynamic";

const PRINT_LIMIT = 2000;

// 动员参保走访清单: the ledger (same filter and cells as the list) on A4 landscape, for a community
// worker's round, with a blank column for what the visit found. Audited like the list.
export default async function PrintOutreachPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "outreach:view")) forbidden();
  const filter = cleanLedgerFilter(await searchParams);
  const loaded = await guarded(openLedger(user, filter, 0, "print", PRINT_LIMIT));
  if (!loaded.ok) refusePage(loaded.refusal);
  const { rows, total } = loaded.value;
  // The region by name (openLedger has checked that it is in the user's scope).
  const regionCode = filter.region ?? user.regionCode;
  const region = regionCode ? await prisma().region.findUnique({ where: { code: regionCode }, select: { name: true } }) : null;
  const th = "border border-black px-1 py-1 font-medium";
  const td = "border border-black px-1 py-0.5 align-top";
  return (
    <article className="sheet sheet-landscape" data-testid="print-outreach">
      <h1 className="text-center text-lg font-bold">{t("outreach.printTitle")}</h1>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
        <span>{region?.name ?? regionCode}</span>
        <span>
          {t("outreach.total", { n: total })} · {t("outreach.printedAt", { at: new Date().toISOString().slice(0, 10), user: user.login })}
        </span>
      </p>
      {total > rows.length && <p className="no-print text-xs text-red-700">{t("outreach.printLimit", { n: PRINT_LIMIT })}</p>}
      <table className="mt-2 w-full border-collapse text-[10px] leading-snug">
        <thead>
          <tr>
            <th className={th}>{t("print.col.no")}</th>
            <th className={th}>{t("outreach.col.name")}</th>
            <th className={th}>{t("outreach.col.idNumber")}</th>
            <th className={th}>{t("outreach.col.community")}</th>
            <th className={th}>{t("outreach.col.missing")}</th>
            <th className={th}>{t("outreach.col.interrupted")}</th>
            <th className={th}>{t("outreach.col.phone")}</th>
            <th className={th}>{t("outreach.col.address")}</th>
            <th className={th}>{t("outreach.col.reason")}</th>
            <th className={th}>{t("outreach.col.lastContact")}</th>
            <th className={th}>{t("outreach.col.promised")}</th>
            <th className={`${th} w-32`}>{t("outreach.col.signature")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const c = ledgerCells(t, r);
            return (
              <tr key={r.entryId} className="break-inside-avoid" data-testid="print-outreach-row">
                <td className={`${td} text-center tabular-nums`}>{i + 1}</td>
                <td className={td}>{c.name}</td>
                <td className={`${td} font-mono`}>{c.id}</td>
                <td className={td}>{c.community}</td>
                <td className={td}>
                  {c.category}：{c.missing}
                </td>
                <td className={td}>{c.interrupted}</td>
                <td className={`${td} font-mono`}>{c.phone}</td>
                <td className={td}>{c.address}</td>
                <td className={td}>{c.reason}</td>
                <td className={td}>{c.lastContact}</td>
                <td className={td}>{c.promised}</td>
                <td className={td} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}
