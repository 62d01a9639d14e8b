"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireActor } from "@/lib/auth/action";
import { personRef } from "@/lib/ids/person-ref";
import { parsePersonSearch } from "@/lib/lists/search";
import { requirePermission } from "@/lib/policy";

// 登记库查找: the search is posted, never typed into a URL, because it may be a full ID number
// (browser history, Referer, proxy logs). A full number comes back as its opaque key
// (/registry?s=<ref>); a part of a name or of a number (at most 10 characters, lib/lists/search.ts)
// as ?q=. The list itself, scoped and audited, runs in lib/registry/queries.ts listRegistry when
// the page renders. A plain form action (it always redirects), so that it works without JavaScript.

const ZSearch = z.object({ q: z.string().max(40).catch(""), status: z.string().max(40).catch(""), region: z.string().max(12).catch("") });

export async function searchRegistryAction(formData: FormData): Promise<void> {
  const actor = await requireActor().catch(() => null);
  if (!actor) redirect("/sign-in");
  const { q, status, region } = ZSearch.parse(Object.fromEntries(formData));
  requirePermission(actor, "person:view");
  const params = new URLSearchParams();
  const search = parsePersonSearch(q);
  if (search.kind === "id") params.set("s", personRef(search.idNumber));
  else if (search.kind === "invalid") params.set("bad", "1");
  else if (search.kind !== "none") params.set("q", search.part);
  if (status) params.set("status", status);
  if (/^\d{4,12}$/.test(region)) params.set("region", region);
  const query = params.toString();
  redirect(query ? `/registry?${query}` : "/registry");
}
