import { cookies } from "next/headers";
import { type TLocale, translator, type Translate } from "./messages";

export const LOCALE_COOKIE = "lang";

export async function getLocale(): Promise<TLocale> {
  const value = (await cookies()).get(LOCALE_COOKIE)?.value;
  return value === "en" ? "en" : "zh";
}

export async function getT(): Promise<Translate> {
  return translator(await getLocale());
}
