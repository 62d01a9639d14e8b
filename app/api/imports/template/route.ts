import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { isImportKind } from "@/lib/import/formats";
import { templateHeader } from "@/lib/import/template";
import { can } from "@/lib/policy";

// GET /api/imports/template?kind=population&format=xlsx|csv&lang=zh|en: the import template of a
// data kind — the header row of the import contract (lib/import/template.ts), no data, so nothing
// personal and nothing to audit. City staff (import:run) only, like the import itself.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "import:run")) return new Response("forbidden", { status: 403 });
  const sp = new URL(request.url).searchParams;
  const kind = sp.get("kind") ?? "";
  if (!isImportKind(kind)) return new Response("not found", { status: 404 });
  const t = translator(await getLocale());
  const name = t("import.templateFor", { kind: t(`import.kind.${kind}` as TMessageKey) });
  return tableExportResponse({ format: exportFormat(sp.get("format")), filename: `${name}-${kind}`, sheetName: kind, header: templateHeader(kind, sp.get("lang") === "en" ? "en" : "zh"), rows: [] });
}
