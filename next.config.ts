import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/WASM database drivers and the IdP run as plain Node modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg", "oidc-provider"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
