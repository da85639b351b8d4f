import { LRUCache } from "lru-cache";
import superjson, { type SuperJSONResult } from "superjson";
import type { Scope } from "../auth/viewer";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";

/**
 * Two tiers in front of the heavy reads: process memory first (lru-cache), then PostgreSQL (CacheEntry), shared
 * by replicas and kept across restarts. Keys always include the viewer's scope, so data computed for an admin
 * can never be served to a moderator. Hits, misses, evictions and size are counted per namespace.
 */

export interface NamespaceStats {
  memoryHits: number;
  persistentHits: number;
  misses: number;
  evictions: number;
  /** entries in the memory tier now */
  memoryEntries: number;
  /** time spent computing on misses, for the console's own timings */
  loadMs: number;
}

const MEMORY_MAX_ENTRIES = 2_000;

interface Store {
  memory: LRUCache<string, { value: unknown; namespace: string }>;
  stats: Map<string, NamespaceStats>;
}

// On globalThis: Next.js bundles route handlers separately and all of them must share one cache.
const globalStore = globalThis as unknown as { meetscopeCache?: Store };

function store(): Store {
  if (!globalStore.meetscopeCache) {
    const stats = new Map<string, NamespaceStats>();
    globalStore.meetscopeCache = {
      stats,
      memory: new LRUCache({
        max: MEMORY_MAX_ENTRIES,
        ttlAutopurge: false,
        dispose: (entry, _key, reason) => {
          if (reason === "evict") statsOf(stats, entry.namespace).evictions++;
        },
      }),
    };
  }
  return globalStore.meetscopeCache;
}

function statsOf(stats: Map<string, NamespaceStats>, namespace: string): NamespaceStats {
  let s = stats.get(namespace);
  if (!s) stats.set(namespace, (s = { memoryHits: 0, persistentHits: 0, misses: 0, evictions: 0, memoryEntries: 0, loadMs: 0 }));
  return s;
}

/** The part of a cache key that says whose data it is. */
export function scopeKey(scope: Scope): string {
  return scope.kind === "all" ? "all" : `rooms:${[...scope.rooms].sort().join(",")}`;
}

export interface CacheOptions<T> {
  db: Db;
  namespace: string;
  scope: Scope;
  /** the query's parameters */
  params: unknown;
  ttlMs: number;
  load: () => Promise<T>;
  now?: number;
}

export async function cached<T>(opts: CacheOptions<T>): Promise<T> {
  const { memory, stats } = store();
  const s = statsOf(stats, opts.namespace);
  const key = `${opts.namespace}|${scopeKey(opts.scope)}|${JSON.stringify(opts.params ?? null)}`;
  const now = opts.now ?? Date.now();

  const inMemory = memory.get(key);
  if (inMemory) {
    s.memoryHits++;
    return inMemory.value as T;
  }
  const row = await opts.db.cacheEntry.findUnique({ where: { key } });
  if (row && row.expiresAt.getTime() > now) {
    s.persistentHits++;
    const value = superjson.deserialize<T>(row.value as unknown as SuperJSONResult);
    memory.set(key, { value, namespace: opts.namespace }, { ttl: row.expiresAt.getTime() - now });
    return value;
  }
  s.misses++;
  const started = performance.now();
  const value = await opts.load();
  s.loadMs += performance.now() - started;
  memory.set(key, { value, namespace: opts.namespace }, { ttl: opts.ttlMs });
  const expiresAt = new Date(now + opts.ttlMs);
  const stored = superjson.serialize(value) as unknown as Prisma.InputJsonValue;
  await opts.db.cacheEntry.upsert({
    where: { key },
    create: { key, namespace: opts.namespace, value: stored, expiresAt },
    update: { value: stored, expiresAt },
  });
  return value;
}

export function cacheStats(): Record<string, NamespaceStats> {
  const { memory, stats } = store();
  const entries = new Map<string, number>();
  for (const v of memory.values()) entries.set(v.namespace, (entries.get(v.namespace) ?? 0) + 1);
  return Object.fromEntries([...stats].map(([ns, s]) => [ns, { ...s, memoryEntries: entries.get(ns) ?? 0 }]));
}

/** Drops expired persistent entries (housekeeping). */
export async function expireCacheEntries(db: Db, now: Date): Promise<number> {
  return (await db.cacheEntry.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}

/** For tests: forget the memory tier and the counters. */
export function resetMemoryCache(): void {
  const { memory, stats } = store();
  memory.clear();
  stats.clear();
}
