import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDb, type OpenDb } from "@/server/db/client";
import { applyMigrations } from "@/server/db/migrate";

/** The throwaway PostgreSQL that `npm test` starts (scripts/pg-test-server.sh); absent when run alone. */
export const TEST_PG_URL = process.env.TEST_PG_URL;

export type DbKind = "pglite" | "postgresql";
export const DB_KINDS: DbKind[] = TEST_PG_URL ? ["pglite", "postgresql"] : ["pglite"];

export interface TestDb extends OpenDb {
  url: string;
}

/**
 * A migrated, empty database: an in-memory PGlite, or a new database in the test PostgreSQL cluster
 * (dropped again by close()).
 */
export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === "pglite") {
    const open = openDb("pglite:memory://");
    await applyMigrations(open);
    return { ...open, url: "pglite:memory://" };
  }
  if (!TEST_PG_URL) throw new Error("TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // A session time zone far from UTC: timestamps must not depend on it (Prisma stores UTC in timestamp(3)).
  await admin.query(`ALTER DATABASE ${name} SET timezone TO 'Pacific/Auckland'`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const open = openDb(url.toString());
  await applyMigrations(open);
  return {
    ...open,
    url: url.toString(),
    close: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: TEST_PG_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
