"use client";
import { useQuery } from "@tanstack/react-query";
import { formatPercent } from "@/server/analysis/format";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

const count = new Intl.NumberFormat();
const kib = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KiB`;

/** Hits, misses, evictions and size per namespace of the two-tier cache. */
export function CacheStats() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.cache.stats.queryOptions(undefined, { refetchInterval: 5_000 }));
  if (stats.isPending) return <Loading label="Loading cache statistics…" />;
  if (stats.isLoadingError) return <ErrorNotice error={stats.error}>Cache statistics could not be loaded.</ErrorNotice>;
  if (stats.data.namespaces.length === 0) {
    return (
      <EmptyState title="Nothing cached yet">
        <p>
          Heavy reads (the fleet overview, long chart windows, ended meetings&apos; charts) are cached in memory, then in PostgreSQL, as
          people open them. Their hits, misses and size appear here. Nothing needs configuring.
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Counters of this server process since <Time value={stats.data.since} />; the persistent tier is shared by every replica.
      </p>
      <Table label="Cache namespaces" head={["Namespace", "Hit ratio", "Memory hits", "Persistent hits", "Misses", "Evictions", "Entries (memory / persistent)", "Persistent size", "Mean load on a miss"]}>
        {stats.data.namespaces.map((n) => (
          <tr key={n.namespace}>
            <Td><code>{n.namespace}</code></Td>
            <Td className="tabular-nums">{n.hitRatio === null ? "—" : formatPercent(n.hitRatio)}</Td>
            <Td className="tabular-nums">{count.format(n.memoryHits)}</Td>
            <Td className="tabular-nums">{count.format(n.persistentHits)}</Td>
            <Td className="tabular-nums">{count.format(n.misses)}</Td>
            <Td className="tabular-nums">{count.format(n.evictions)}</Td>
            <Td className="tabular-nums">{count.format(n.memoryEntries)} / {count.format(n.persistentLiveEntries)}{n.persistentEntries > n.persistentLiveEntries ? ` (+${count.format(n.persistentEntries - n.persistentLiveEntries)} expired)` : ""}</Td>
            <Td className="tabular-nums">{kib(n.persistentBytes)}</Td>
            <Td className="tabular-nums">{n.meanLoadMs === null ? "—" : `${n.meanLoadMs.toFixed(1)} ms`}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
