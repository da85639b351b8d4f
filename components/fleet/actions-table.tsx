"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

const statusTone = { PENDING: "neutral", RUNNING: "info", SUCCEEDED: "good", FAILED: "bad", CANCELLED: "warn" } as const;

export function ActionsTable() {
  const trpc = useTRPC();
  const actions = useQuery(trpc.actions.list.queryOptions({ limit: 200 }, { refetchInterval: 5_000 }));
  if (actions.isPending) return <Loading label="Loading actions…" />;
  if (actions.isLoadingError) return <ErrorNotice error={actions.error}>Actions could not be loaded.</ErrorNotice>;
  if (actions.data.length === 0) {
    return (
      <EmptyState title="No actions yet">
        <p>
          Every rebalance, quality override, cache optimization, drain and scaling step is recorded here with who asked for it, its
          plan, its progress and its result.
        </p>
      </EmptyState>
    );
  }
  return (
    <Table label="Actions" head={["Requested", "Kind", "Status", "By", "Finished"]}>
      {actions.data.map((a) => (
        <tr key={a.id}>
          <Td><Time value={a.createdAt} /></Td>
          <Td>{a.kind.toLowerCase().replace("_", " ")}</Td>
          <Td>
            <Badge tone={statusTone[a.status]}>{a.status.toLowerCase()}</Badge>
            {a.error ? <div className="mt-1 text-xs text-red-700 dark:text-red-400">{a.error}</div> : null}
          </Td>
          <Td>{a.requestedByName ?? a.requestedBy}</Td>
          <Td><Time value={a.finishedAt} /></Td>
        </tr>
      ))}
    </Table>
  );
}
