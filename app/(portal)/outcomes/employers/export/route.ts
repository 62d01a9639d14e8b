import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/auth/errors";
import { translator, type TMessageKey } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { prisma } from "@/lib/db/client";
import { tableExportResponse } from "@/lib/http/table-export";
import { employersExport } from "@/lib/outcomes/employers-view";
import { can, NotAllowedError } from "@/lib/policy";

// POST /outcomes/employers/export (form: reason, employer?): the XLSX with full personal data for the
// labour inspection authority. The reason is required; a missing one sends the user back to the page
// with a Chinese error. The export is audited (reason, filters, row count) by lib/outcomes/employers-view.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "outcomes:employers-export")) return new Response("forbidden", { status: 403 });
  const form = await request.formData();
  const employer = typeof form.get("employer") === "string" ? String(form.get("employer")) : undefined;
  const back = (key: string) => {
    const url = new URL(employer !== undefined ? "/outcomes/employers/persons" : "/outcomes/employers", request.url);
    if (employer !== undefined) url.searchParams.set("employer", employer);
    url.searchParams.set("exportError", key);
    return Response.redirect(url, 303);
  };
  let result;
  try {
    result = await employersExport(user, { reason: String(form.get("reason") ?? ""), employer });
  } catch (e) {
    if (e instanceof z.ZodError) return back(e.issues[0]?.message.replace(/^msg:/, "") ?? "employers.export.reasonRequired");
    if (e instanceof DomainError) return back(e.key);
    if (e instanceof NotAllowedError) return new Response("forbidden", { status: 403 });
    throw e;
  }
  const t = translator(await getLocale());
  // Labels and region names for the reader; the codes in columns of their own (`…_code`).
  const codes = [...new Set(result.rows.map((r) => r.region_code).filter((c): c is string => !!c))];
  const names = new Map((await prisma().region.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]));
  return tableExportResponse({
    format: "xlsx",
    filename: `employers-${result.runId}`,
    sheetName: t("employers.export.sheet"),
    header: [t("employers.col.employer"), t("employers.col.idNumber"), t("employers.col.name"), t("employers.col.missingSchemes"), "missing_schemes_code", t("employers.col.region"), "region_code", t("employers.col.source"), "source_code"],
    rows: result.rows.map((r) => [
      r.employer, r.id_number, r.name,
      r.missing_schemes.map((s) => t(`registry.scheme.${s}` as TMessageKey)).join("、"), r.missing_schemes.join(";"),
      r.region_code ? (names.get(r.region_code) ?? r.region_code) : "", r.region_code ?? "",
      t(`employers.source.${r.source}` as TMessageKey), r.source,
    ]),
  });
}
