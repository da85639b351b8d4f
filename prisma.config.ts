import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env and has no url in schema.prisma. `pglite:<dir>` and `pglite:memory://` are
// understood by scripts/schema-engine-wasm.mjs, the stand-in for the native schema engine (see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "pglite:./.data/pglite" },
});
