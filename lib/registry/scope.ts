import { type Actor, regionWhere, type TPermission } from "@/lib/policy";

// Where a person belongs for scoping: the survey region when the comparison chose one, else the
// hukou region (coalesce(survey_region_code, hukou_region_code)). Queries and checks on persons use
// these two helpers so that the page, the search and the change requests agree on who sees whom.

export function personRegion(person: { surveyRegionCode: string | null; hukouRegionCode: string | null }): string | null {
  return person.surveyRegionCode ?? person.hukouRegionCode;
}

/** The Prisma `where` for persons in the actor's scope (same rule as personRegion). */
export function personWhere(actor: Actor, permission: TPermission) {
  const prefix = regionWhere(actor, permission);
  return { OR: [{ surveyRegionCode: prefix }, { surveyRegionCode: null, hukouRegionCode: prefix }] };
}
