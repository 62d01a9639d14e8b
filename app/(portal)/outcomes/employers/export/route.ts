import ExcelJS from "exceljs";
import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/auth/errors";
import { translator, type TMessageKey } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
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
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t("employers.export.sheet"));
  ws.addRow([t("employers.col.employer"), t("employers.col.idNumber"), t("employers.col.name"), t("employers.col.missingSchemes"), t("employers.col.region"), t("employers.col.source")]);
  for (const r of result.rows) {
    ws.addRow([r.employer, r.id_number, r.name, r.missing_schemes.map((s) => t(`registry.scheme.${s}` as TMessageKey)).join("、"), r.region_code ?? "", t(`employers.source.${r.source}` as TMessageKey)]);
  }
  const body = await wb.xlsx.writeBuffer();
  return new Response(body as ArrayBuffer, {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="employers-${result.runId}.xlsx"`,
      "cache-control": "no-store",
    },
  });
}
