import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cached, cacheStats, expireCacheEntries, resetMemoryCache } from "@/server/cache/cache";
import { createCaller } from "@/server/api/root";
import { viewerFrom, type Scope } from "@/server/auth/viewer";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

describe.each(DB_KINDS)("two-tier cache on %s", (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(kind);
  });
  afterAll(() => testDb.close());
  beforeEach(() => resetMemoryCache());

  const admin: Scope = { kind: "all" };
  const mia: Scope = { kind: "rooms", rooms: ["weekly-sync"] };

  it("serves from memory, then from PostgreSQL after the memory tier is gone, and counts both", async () => {
    let loads = 0;
    const load = async () => ({ loads: ++loads, at: new Date("2026-11-25T10:00:00Z") });
    const get = () => cached({ db: testDb.db, namespace: `t1-${kind}`, scope: admin, params: { minutes: 240 }, ttlMs: 60_000, load });
    expect(await get()).toEqual({ loads: 1, at: new Date("2026-11-25T10:00:00Z") });
    expect(await get()).toMatchObject({ loads: 1 });
    resetMemoryCache(); // a restart, or another replica
    const fromDb = await get();
    expect(fromDb).toMatchObject({ loads: 1 });
    expect(fromDb.at).toBeInstanceOf(Date); // types survive the persistent tier
    expect(loads).toBe(1);
    expect(cacheStats()[`t1-${kind}`]).toMatchObject({ persistentHits: 1, misses: 0, memoryEntries: 1 });
  });

  it("never serves one scope's data to another", async () => {
    const namespace = `t2-${kind}`;
    await cached({ db: testDb.db, namespace, scope: admin, params: null, ttlMs: 60_000, load: async () => "everything" });
    expect(await cached({ db: testDb.db, namespace, scope: mia, params: null, ttlMs: 60_000, load: async () => "weekly-sync only" })).toBe("weekly-sync only");
    expect(await cached({ db: testDb.db, namespace, scope: admin, params: null, ttlMs: 60_000, load: async () => "reloaded" })).toBe("everything");
    expect(cacheStats()[namespace]).toMatchObject({ misses: 2, memoryHits: 1 });
  });

  it("expires entries: a stale persistent entry is reloaded, and housekeeping deletes it", async () => {
    const namespace = `t3-${kind}`;
    const t0 = Date.now();
    await cached({ db: testDb.db, namespace, scope: admin, params: null, ttlMs: 1_000, load: async () => "old", now: t0 });
    resetMemoryCache();
    expect(await cached({ db: testDb.db, namespace, scope: admin, params: null, ttlMs: 1_000, load: async () => "new", now: t0 + 5_000 })).toBe("new");
    expect(await expireCacheEntries(testDb.db, new Date(t0 + 60_000))).toBeGreaterThanOrEqual(1);
  });

  it("the Cache page's figures: ratio, counters and the persistent tier's entries and size per namespace", async () => {
    const namespace = `t4-${kind}`;
    const get = (params: number) => cached({ db: testDb.db, namespace, scope: admin, params, ttlMs: 60_000, load: async () => ({ rows: randomBytes(1_500).toString("base64") }) });
    await get(1);
    await get(1);
    await get(1);
    await get(2);
    const stats = await createCaller({ db: testDb.db, viewer: viewerFrom("a", "ada@example.org", "Ada", ["admin"]) }).cache.stats();
    const row = stats.namespaces.find((n) => n.namespace === namespace)!;
    expect(row).toMatchObject({ memoryHits: 2, persistentHits: 0, misses: 2, hitRatio: 0.5, memoryEntries: 2, persistentEntries: 2, persistentLiveEntries: 2 });
    expect(row.persistentBytes).toBeGreaterThan(2 * 1_500); // two entries of 2,000 random base64 characters
    expect(row.meanLoadMs).toBeGreaterThanOrEqual(0);
    const moderator = createCaller({ db: testDb.db, viewer: viewerFrom("m", "mia@example.org", "Mia", ["moderator"]) });
    await expect(moderator.cache.stats()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
