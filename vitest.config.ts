import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    include: ["server/**/*.test.ts", "simulator/**/*.test.ts", "tests/**/*.test.ts", "agent/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Database tests each open their own PGlite or PostgreSQL schema; files run in parallel on 2 cores.
    pool: "forks",
  },
});
