import { describe, expect, it } from "vitest";
import { isDecodablePath, parseId, parsePage, safeDecode } from "@/lib/http/params";
import nextConfig from "@/next.config";

// Issue 11 §9: the headers next.config.ts gives every response (the e2e spec checks them again on
// the built app), and §8: URL parameters that must never reach the database as they came.

/** The headers next.config.ts sets for a request path (a rule applies when its source matches). */
async function headersFor(path: string): Promise<Record<string, string>> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const out: Record<string, string> = {};
  for (const rule of rules) {
    const pattern = rule.source === "/:path*" ? /^\/.*$/ : new RegExp(`^${rule.source}$`);
    if (pattern.test(path)) for (const h of rule.headers) out[h.key] = h.value;
  }
  return out;
}

describe("security headers (next.config.ts)", () => {
  it("a personal page gets CSP with frame-ancestors 'none', nosniff, a Referrer-Policy and no-store", async () => {
    for (const path of ["/registry/abc", "/", "/comparisons/1/export", "/api/imports/3/invalid", "/print/person/x"]) {
      const h = await headersFor(path);
      expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
      expect(h["Content-Security-Policy"]).toContain("object-src 'none'");
      expect(h["Content-Security-Policy"]).toContain("default-src 'self'");
      expect(h["X-Content-Type-Options"]).toBe("nosniff");
      expect(h["Referrer-Policy"]).toBe("same-origin");
      expect(h["Cache-Control"]).toBe("no-store");
    }
  });
  it("Next's hashed static assets stay cacheable", async () => {
    expect((await headersFor("/_next/static/chunks/app.js"))["Cache-Control"]).toBeUndefined();
  });
  it("no X-Powered-By, and server-action bodies are capped at 1 MB", () => {
    expect(nextConfig.poweredByHeader).toBe(false);
    expect(nextConfig.experimental?.serverActions?.bodySizeLimit).toBe("1mb");
  });
});

describe("URL parameters (lib/http/params.ts)", () => {
  it("a page number is a small non-negative integer, anything else is page 0", () => {
    expect(parsePage("3")).toBe(3);
    for (const raw of ["1e20", "-1", "1.5", "abc", "", undefined, ["1", "2"], "99999999999"]) expect(parsePage(raw as string)).toBe(0);
  });
  it("an id beyond PostgreSQL's integer, or not digits, is no id", () => {
    expect(parseId("42")).toBe(42);
    for (const raw of ["1e20", "2147483648", "0", "-3", "04", " 4", "4x", undefined]) expect(parseId(raw)).toBeNull();
  });
  it("a malformed percent escape is detected, not thrown", () => {
    expect(safeDecode("%E0%A4%A")).toBeNull();
    expect(isDecodablePath("/registry/%E0%A4%A")).toBe(false);
    expect(isDecodablePath("/registry/%E4%B8%AD")).toBe(true);
  });
});
