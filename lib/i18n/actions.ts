"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { LOCALE_COOKIE } from "./server";

/** Switches the interface language (zh-CN ↔ English) for this browser. */
export async function switchLanguage(formData: FormData): Promise<void> {
  const next = formData.get("locale") === "en" ? "en" : "zh";
  (await cookies()).set(LOCALE_COOKIE, next, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });
  revalidatePath("/", "layout");
}
