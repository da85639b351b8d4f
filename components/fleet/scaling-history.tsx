"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

export function ScalingHistory() {
  const trpc = useTRPC();
  const events = useQuery(trpc.scaling.history.queryOptions({ limit: 200 }));
  if (events.isPending) return <Loading label="Loading scaling decisions…" />;
  if (events.isLoadingError) return <ErrorNotice error={events.error}>Scaling history could not be loaded.</ErrorNotice>;
  if (events.data.length === 0) {
    return (
      <EmptyState title="No scaling decisions yet">
        <p>
          Each decision to add or remove videobridges is recorded here with the stress figures it was based on, the desired count
          before and after, and the action that carried it out. Decisions start once bridges are polled.
        </p>
      </EmptyState>
    );
  }
  return (
    <Table label="Scaling decisions" head={["When", "Direction", "Desired count", "Reason"]}>
      {events.data.map((e) => (
        <tr key={e.id}>
          <Td><Time value={e.decidedAt} /></Td>
          <Td><Badge tone={e.direction === "UP" ? "info" : e.direction === "DOWN" ? "warn" : "neutral"}>{e.direction.toLowerCase()}</Badge></Td>
          <Td className="tabular-nums">{e.oldDesiredCount} → {e.newDesiredCount}</Td>
          <Td>{e.reason}</Td>
        </tr>
      ))}
    </Table>
  );
}
