import type { TMessageKey } from "@/lib/i18n/messages";
import type { TPermission } from "@/lib/policy";

/** The portal's navigation. An entry without `href` is a feature not built yet: shown disabled. */
export interface NavItem {
  key: TMessageKey;
  permission: TPermission | null;
  href?: string;
}

export const NAV_ITEMS: NavItem[] = [
  { key: "nav.home", permission: null, href: "/" },
  { key: "nav.imports", permission: "import:run", href: "/imports" },
  { key: "nav.comparisons", permission: "comparison:view", href: "/comparisons" },
  // Survey progress and assignment: city (read-only progress), district (release), street (assign).
  { key: "nav.tasks", permission: "task:progress", href: "/tasks" },
  { key: "nav.survey", permission: "survey:fill", href: "/survey" },
  { key: "nav.review", permission: "review:initial", href: "/review" },
  { key: "nav.review", permission: "review:final", href: "/review" },
  { key: "nav.registry", permission: "person:view", href: "/registry" },
  { key: "change.title", permission: "change:request", href: "/changes" },
  { key: "change.title", permission: "change:approve-sensitive", href: "/changes" },
  { key: "nav.stats", permission: "stats:view", href: "/stats" },
  { key: "nav.outreach", permission: "outreach:view", href: "/outreach" },
  { key: "nav.employers", permission: "outcomes:employers", href: "/outcomes/employers" },
  { key: "nav.quality", permission: "quality:view", href: "/quality" },
  { key: "nav.assessment", permission: "assessment:view", href: "/assessment" },
  { key: "nav.users", permission: "admin:users", href: "/admin/users" },
  { key: "nav.regions", permission: "admin:regions", href: "/admin/regions" },
  { key: "nav.audit", permission: "audit:view", href: "/audit" },
  { key: "nav.accounts", permission: "account:confirm", href: "/accounts" },
];
