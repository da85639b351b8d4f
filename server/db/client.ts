import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { parse } from "pg-connection-string";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

export interface OpenDb {
  db: PrismaClient;
  /** the driver adapter under `db`, for the migration engine (one connection to a PGlite folder, not two) */
  adapter: SqlMigrationAwareDriverAdapterFactory;
  close: () => Promise<void>;
}

/**
 * Opens Prisma on PGlite (`pglite:<folder>` or `pglite:memory://`) or on PostgreSQL (`postgresql://…`).
 * PGlite is single-process: only one process may open a data folder at a time.
 */
export function openDb(url: string): OpenDb {
  if (url.startsWith("pglite:")) {
    const dataDir = url.slice("pglite:".length) || "memory://";
    if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true }); // PGlite does not create parents
    const pglite = new PGlite(dataDir);
    const adapter = new PrismaPGlite(pglite);
    const db = new PrismaClient({ adapter });
    return {
      db,
      adapter,
      close: async () => {
        await db.$disconnect();
        await pglite.close(); // without it the process lingers ~60 s
      },
    };
  }
  // Discrete fields rather than connectionString: the migration engine's shadow database overrides
  // `database`, which node-postgres ignores when a connectionString is given.
  const adapter = new PrismaPg(parse(url) as ConstructorParameters<typeof PrismaPg>[0]);
  const db = new PrismaClient({ adapter });
  return { db, adapter, close: () => db.$disconnect() };
}

const globalForDb = globalThis as unknown as { meetscopeDb?: OpenDb };

/** The server process's database, opened on first use (never at import: `next build` imports routes). */
export function db(): PrismaClient {
  if (!globalForDb.meetscopeDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set in the server process (the start script sets it)");
    globalForDb.meetscopeDb = openDb(url);
  }
  return globalForDb.meetscopeDb.db;
}
