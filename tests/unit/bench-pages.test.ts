import { describe, expect, it } from "vitest";
import { percentile } from "@/lib/cli/bench-http";
import { answeredPage, parseSummaryLine, summaryLine } from "@/lib/cli/bench-pages";

// The page benchmark's arithmetic and its verdicts, without timing anything: nearest-rank
// percentiles, the last line (worst page's p95, p50 over all requests) read back, and which answers
// count as errors.

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it("takes the value at rank ceil(p/100 · n)", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 9, 30], 50)).toBe(9);
    expect(percentile([7, 9, 30], 95)).toBe(30);
  });
  it("is the only value of one, the first at p=0, and 0 for none", () => {
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([3, 4], 0)).toBe(3);
    expect(percentile([], 95)).toBe(0);
  });
});

describe("summary line", () => {
  it("counts pages and requests, p50 over all requests and the worst page's p95", () => {
    const fast = { ms: Array.from({ length: 20 }, (_, i) => 10 + i) }; // p95 = 28
    const slow = { ms: Array.from({ length: 20 }, (_, i) => 100 + 10 * i) }; // p95 = 280
    const line = summaryLine([fast, slow]);
    expect(line).toBe("pages=2 requests=40 p50_ms=29.0 p95_ms=280.0");
    expect(parseSummaryLine(line)).toEqual({ pages: 2, requests: 40, p50: 29, p95: 280 });
  });
  it("reads back only a line of exactly that shape", () => {
    expect(parseSummaryLine("pages=16 requests=8000 p50_ms=31.2 p95_ms=97\n")).toEqual({ pages: 16, requests: 8000, p50: 31.2, p95: 97 });
    expect(parseSummaryLine("pages=16 requests=8000 p50_ms=31.2")).toBeNull();
    expect(parseSummaryLine("load average after: 1.00; pages=1 requests=1 p50_ms=1 p95_ms=1")).toBeNull();
    expect(parseSummaryLine("pages=x requests=1 p50_ms=1 p95_ms=1")).toBeNull();
  });
});

describe("answeredPage", () => {
  it("accepts a 2xx page and refuses other statuses, redirects included", () => {
    expect(answeredPage(200, "<html><body>统计分析</body></html>")).toBeNull();
    expect(answeredPage(307, "")).toBe("HTTP 307");
    expect(answeredPage(403, "无权访问")).toBe("HTTP 403");
    expect(answeredPage(500, "")).toBe("HTTP 500");
  });
  it("refuses a page that redirects (to sign-in) while streaming", () => {
    expect(answeredPage(200, '<meta id="__next-page-redirect" http-equiv="refresh" content="1;url=/sign-in"/>')).toBe("redirected while streaming");
  });
  it("refuses a refusal page (forbidden, not found) answered with 200", () => {
    expect(answeredPage(200, '<div class="rounded-lg" role="alert" data-testid="refusal"><p>无权访问</p></div>')).toBe("refusal page");
  });
});
