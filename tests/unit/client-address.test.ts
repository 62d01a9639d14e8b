import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/auth/throttle";

// The per-address sign-in lockout keys on the address the server's own socket saw (issue 11 §3): a
// client that sends X-Forwarded-For (or our own header) on every attempt must not pick a new key.

const require = createRequire(import.meta.url);
const hook = path.resolve(import.meta.dirname, "../../lib/cli/client-address.cjs");
const { clientOf } = require(hook) as { clientOf: (req: { socket?: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> }) => string };

describe("the client's address", () => {
  const server = http.createServer((req, res) => res.end(JSON.stringify({ client: req.headers["x-portal-client"], address: clientAddress(req.headers) })));
  const listening = new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  afterAll(() => new Promise((r) => server.close(r)));

  it("is the socket's, whatever the client claims in X-Forwarded-For or x-portal-client", async () => {
    const port = await listening;
    for (const headers of [{}, { "x-forwarded-for": "203.0.113.7" }, { "x-forwarded-for": "10.0.0.1, 203.0.113.8", "x-portal-client": "198.51.100.1" }]) {
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        }).on("error", reject);
      });
      expect(JSON.parse(body)).toEqual({ client: "127.0.0.1", address: "127.0.0.1" });
    }
  });

  it("is the socket's unless proxies are trusted (TRUSTED_PROXY_HOPS, default 0)", () => {
    expect(clientOf({ socket: { remoteAddress: "10.1.1.1" }, headers: { "x-forwarded-for": "203.0.113.9" } })).toBe("10.1.1.1");
  });

  it("without the hook (a bare next dev) falls back to the rightmost X-Forwarded-For entry", () => {
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" })).toBe("2.2.2.2");
    expect(clientAddress({ "x-portal-client": "3.3.3.3", "x-forwarded-for": "4.4.4.4" })).toBe("3.3.3.3");
  });
});
