"use server";

import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/action";
import { personRef } from "@/lib/ids/person-ref";
import { parsePersonSearch } from "./search";

// The filter form of a list whose search box takes ID numbers (变更登记): posted, so that a full
// 18-digit number never lands in a URL; it comes back as the list's URL with the number's opaque key
// (?s=) and every other filter as typed. Reads no data: the list page applies scope and audit.

const LIST_PATHS = ["/changes"] as const;

export async function listSearchAction(formData: FormData): Promise<void> {
  await requireActor().catch(() => redirect("/sign-in"));
  const path = String(formData.get("path") ?? "");
  if (!(LIST_PATHS as readonly string[]).includes(path)) redirect("/");
  const params = new URLSearchParams();
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || !value || key === "path" || key.startsWith("$") || key.length > 20) continue;
    if (key === "q") {
      const search = parsePersonSearch(value);
      if (search.kind === "id") params.set("s", personRef(search.idNumber));
      else if (search.kind === "invalid") params.set("bad", "1");
      else if (search.kind !== "none") params.set("q", search.part);
    } else params.set(key, value.slice(0, 40));
  }
  const query = params.toString();
  redirect(query ? `${path}?${query}` : path);
}
