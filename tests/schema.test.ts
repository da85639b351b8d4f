import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/server/db/generated/client";
import { diffDatabaseToSchema } from "@/scripts/db.mjs";
import { DB_KINDS, openTestDb, TEST_PG_URL, type DbKind, type TestDb } from "./db";

/**
 * The migrated database must be exactly what prisma/schema.prisma describes, on PGlite and on PostgreSQL.
 * PGlite is compared by Prisma's own schema engine (diff from the live database to the schema). The engine
 * cannot introspect PostgreSQL through adapter-pg (its `char` columns), so PostgreSQL is compared with the
 * PGlite catalog: same tables, columns, types, defaults, indexes, constraints and enums.
 */

const migrationNames = readdirSync("prisma/migrations", { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

async function catalog(db: PrismaClient) {
  const columns = await db.$queryRaw<unknown[]>`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`;
  const indexes = await db.$queryRaw<unknown[]>`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`;
  const constraints = await db.$queryRaw<unknown[]>`
    -- contype 'n': PostgreSQL 18 (PGlite) lists NOT NULL as constraints, 15 does not; columns carry it for both
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1, 2`;
  const enums = await db.$queryRaw<unknown[]>`
    SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`;
  return { columns, indexes, constraints, enums };
}

const opened: Partial<Record<DbKind, TestDb>> = {};
beforeAll(async () => {
  for (const kind of DB_KINDS) opened[kind] = await openTestDb(kind);
});
afterAll(async () => {
  for (const db of Object.values(opened)) await db?.close();
});

describe.each(DB_KINDS)("migrations on %s", (kind) => {
  it("record Prisma's _prisma_migrations history, one finished row per migration", async () => {
    const rows = await opened[kind]!.db.$queryRaw<Array<{ migration_name: string; finished_at: Date | null; checksum: string }>>`
      SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("store and read back the domain through the generated client", async () => {
    const { db } = opened[kind]!;
    const bridge = await db.bridge.create({ data: { name: `jvb-${kind}`, status: "UP" } });
    const meeting = await db.meeting.create({ data: { room: "weekly-sync", bridgeId: bridge.id, startedAt: new Date(), lastSeenAt: new Date() } });
    const participant = await db.participant.create({ data: { meetingId: meeting.id, endpointId: "ab12cd", joinedAt: new Date(), lastSeenAt: new Date() } });
    await db.participantSample.create({ data: { participantId: participant.id, meetingId: meeting.id, sampledAt: new Date(), rttMs: 42.5, lossRecvFraction: 0.01 } });
    await db.action.create({ data: { kind: "DRAIN", params: { bridge: bridge.name }, requestedBy: "ada@example.test", idempotencyKey: `drain-${kind}` } });
    const found = await db.meeting.findUniqueOrThrow({ where: { id: meeting.id }, include: { participants: { include: { samples: true } }, bridge: true } });
    expect(found.bridge?.name).toBe(`jvb-${kind}`);
    expect(found.participants[0]?.samples[0]?.rttMs).toBe(42.5);
    await expect(db.action.create({ data: { kind: "DRAIN", params: {}, requestedBy: "x", idempotencyKey: `drain-${kind}` } })).rejects.toThrow(/Unique constraint/);
  });
});

describe("the migrated database matches schema.prisma", () => {
  it("on PGlite: Prisma's schema engine finds nothing to change", async () => {
    expect(await diffDatabaseToSchema(opened.pglite!.adapter)).toBe("");
  });

  it("and the check can fail: a dropped column is reported", async () => {
    const scratch = await openTestDb("pglite");
    try {
      await scratch.db.$executeRawUnsafe('ALTER TABLE "Bridge" DROP COLUMN "region"');
      expect(await diffDatabaseToSchema(scratch.adapter)).toMatch(/ADD COLUMN\s+"region"/);
    } finally {
      await scratch.close();
    }
  });

  it.skipIf(!TEST_PG_URL)("on PostgreSQL: the catalog equals PGlite's", async () => {
    const [lite, real] = await Promise.all([catalog(opened.pglite!.db), catalog(opened.postgresql!.db)]);
    expect(real.columns).toEqual(lite.columns);
    expect(real.indexes).toEqual(lite.indexes);
    expect(real.constraints).toEqual(lite.constraints);
    expect(real.enums).toEqual(lite.enums);
    expect(lite.columns.length).toBeGreaterThan(100);
  });
});
