import { FORMATS, type TImportKind } from "./formats";

// 导入模板 (issue 13): one per data kind, its header row generated from the import contract
// (FORMATS, import-formats.md), never copied by hand — so a template always imports (an empty file
// is refused as empty; a filled one reads every column). Chinese headers by default, as the clerks
// fill them; English on request (both are accepted by the importer).

export type TTemplateLang = "zh" | "en";

export function templateHeader(kind: TImportKind, lang: TTemplateLang = "zh"): string[] {
  return FORMATS[kind].map((c) => (lang === "en" ? c.en : c.zh));
}
