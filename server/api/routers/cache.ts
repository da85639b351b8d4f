import { cacheStats } from "../../cache/cache";
import { adminProcedure, router } from "../trpc";

/** Meetscope's own cache: the counters of this server process's memory tier, and the persistent tier's contents. */

const processStartedAt = new Date(Date.now() - process.uptime() * 1000);

export const cacheRouter = router({
  stats: adminProcedure.query(async ({ ctx }) => {
    const persistent = await ctx.db.$queryRaw<Array<{ namespace: string; entries: number; live: number; bytes: number }>>`
      SELECT namespace, count(*)::int AS entries, (count(*) FILTER (WHERE "expiresAt" > now() AT TIME ZONE 'UTC'))::int AS live,
        coalesce(sum(pg_column_size(value)), 0)::float8 AS bytes
      FROM "CacheEntry" GROUP BY namespace`;
    const counters = cacheStats();
    const stored = new Map(persistent.map((p) => [p.namespace, p]));
    const namespaces = [...new Set([...Object.keys(counters), ...stored.keys()])].sort();
    return {
      since: processStartedAt,
      namespaces: namespaces.map((namespace) => {
        const c = counters[namespace] ?? { memoryHits: 0, persistentHits: 0, misses: 0, evictions: 0, memoryEntries: 0, loadMs: 0 };
        const p = stored.get(namespace);
        const lookups = c.memoryHits + c.persistentHits + c.misses;
        return {
          namespace,
          ...c,
          hitRatio: lookups ? (c.memoryHits + c.persistentHits) / lookups : null,
          meanLoadMs: c.misses ? c.loadMs / c.misses : null,
          persistentEntries: p?.entries ?? 0,
          persistentLiveEntries: p?.live ?? 0,
          persistentBytes: p?.bytes ?? 0,
        };
      }),
    };
  }),
});
