"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireActor } from "@/lib/auth/action";
import { normaliseIdNumber } from "@/lib/ids/id-number";
import { personRef } from "@/lib/ids/person-ref";
import { requirePermission } from "@/lib/policy";

// 登记库查找: the full ID number is posted, never put in a URL (browser history, Referer, proxy
// logs). The result page is addressed by the number's opaque key (/registry?s=<ref>); the search
// itself, scoped and audited, runs in lib/registry/queries.ts searchPersons when that page renders.
// A plain form action (no ActionResult: it always redirects), so that it works without JavaScript.

const ZSearch = z.object({ q: z.string().max(40).catch("") });

export async function searchRegistryAction(formData: FormData): Promise<void> {
  const actor = await requireActor().catch(() => null);
  if (!actor) redirect("/sign-in");
  const { q } = ZSearch.parse(Object.fromEntries(formData));
  requirePermission(actor, "person:view");
  const id = normaliseIdNumber(q);
  redirect(/^\d{17}[\dX]$/.test(id) ? `/registry?s=${personRef(id)}` : "/registry?s=-");
}
