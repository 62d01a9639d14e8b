import type { TMessageKey } from "@/lib/i18n/messages";

/** An expected domain refusal whose message comes from the catalogue (re-exported by lib/auth/action). */
export class DomainError extends Error {
  constructor(public readonly key: TMessageKey, public readonly params?: Record<string, string | number>, public readonly field?: string) {
    super(key);
    this.name = "DomainError";
  }
}
