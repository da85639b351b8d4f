"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { StatCard } from "../ui/card";
import { ErrorNotice, Loading } from "../ui/status";

export function FleetSummary() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.overview.summary.queryOptions(undefined, { refetchInterval: 10_000 }));
  if (summary.isPending) return <Loading label="Loading fleet figures…" />;
  if (summary.isLoadingError) return <ErrorNotice error={summary.error}>The fleet figures could not be loaded.</ErrorNotice>;
  const { bridges, liveMeetings, participantsNow, pendingActions } = summary.data;
  const totalBridges = Object.values(bridges).reduce<number>((a, b) => a + (b ?? 0), 0);
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <StatCard label="Bridges up" value={`${bridges.UP ?? 0} / ${totalBridges}`} hint={bridges.DOWN ? `${bridges.DOWN} down` : "none down"} />
      <StatCard label="Live meetings" value={liveMeetings} />
      <StatCard label="Participants now" value={participantsNow} />
      <StatCard label="Actions in progress" value={pendingActions} />
    </div>
  );
}
