import type { Translate } from "@/lib/i18n/messages";

/** The label of each level of the region tree, by code length (the region pickers' selects). */
export const levelLabels = (t: Translate): Record<number, string> => ({ 4: t("level.CITY"), 6: t("level.DISTRICT"), 9: t("level.STREET"), 12: t("level.COMMUNITY") });
