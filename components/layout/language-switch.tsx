import { switchLanguage } from "@/lib/i18n/actions";
import { getLocale, getT } from "@/lib/i18n/server";

export async function LanguageSwitch() {
  const locale = await getLocale();
  const t = await getT();
  return (
    <form action={switchLanguage}>
      <input type="hidden" name="locale" value={locale === "en" ? "zh" : "en"} />
      <button type="submit" className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100" data-testid="language-switch">
        {t("common.language")}
      </button>
    </form>
  );
}
