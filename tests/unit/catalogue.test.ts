import { describe, expect, it } from "vitest";
import { en, zh } from "@/lib/i18n/messages";

// Every text exists in both languages, and an English text keeps every {placeholder} of the Chinese.
const zhTexts: Record<string, string> = zh;
const enTexts: Record<string, string | undefined> = en;

function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{[A-Za-z0-9_]+\}/g) ?? [])].sort();
}

describe("message catalogue", () => {
  it("every Chinese key has an English text", () => {
    const missing = Object.keys(zhTexts).filter((k) => typeof enTexts[k] !== "string" || enTexts[k] === "");
    expect(missing).toEqual([]);
  });

  it("every English key exists in Chinese", () => {
    const extra = Object.keys(enTexts).filter((k) => !(k in zhTexts));
    expect(extra).toEqual([]);
  });

  it("every placeholder of a Chinese text appears in its English text", () => {
    const broken = Object.entries(zhTexts).flatMap(([k, text]) => {
      const english = enTexts[k] ?? "";
      const lost = placeholders(text).filter((p) => !english.includes(p));
      return lost.length ? [`${k}: ${lost.join(", ")}`] : [];
    });
    expect(broken).toEqual([]);
  });
});
