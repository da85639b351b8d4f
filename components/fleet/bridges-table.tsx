"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Code, EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

const statusTone = { UP: "good", DOWN: "bad", DRAINING: "warn", SHUTTING_DOWN: "warn", UNKNOWN: "neutral" } as const;

export function BridgesTable() {
  const trpc = useTRPC();
  const bridges = useQuery(trpc.bridges.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  if (bridges.isPending) return <Loading label="Loading bridges…" />;
  if (bridges.isError) return <ErrorNotice error={bridges.error}>Bridges could not be loaded.</ErrorNotice>;
  if (bridges.data.length === 0) {
    return (
      <EmptyState title="No bridges yet">
        <p>
          Every videobridge appears here with its stress, endpoints, bitrate, loss and health once Meetscope polls it. Point it at
          your fleet with <Code>JVB_URLS</Code> (each bridge&apos;s private REST, e.g. <Code>http://10.0.0.5:8080</Code>, with COLIBRI
          REST enabled) and <Code>JICOFO_URLS</Code> (e.g. <Code>http://jicofo:8888</Code>).
        </p>
      </EmptyState>
    );
  }
  return (
    <Table label="Bridges" head={["Bridge", "Status", "Region", "Version", "Last sample"]}>
      {bridges.data.map((b) => (
        <tr key={b.id}>
          <Td className="font-medium">{b.name}</Td>
          <Td>
            <Badge tone={statusTone[b.status]}>{b.status.toLowerCase().replace("_", " ")}</Badge>
            {b.statusReason ? <div className="mt-1 text-xs text-zinc-500">{b.statusReason}</div> : null}
          </Td>
          <Td>{b.region ?? "—"}</Td>
          <Td className="font-mono text-xs">{b.version ?? "—"}</Td>
          <Td><Time value={b.lastSampleAt} /></Td>
        </tr>
      ))}
    </Table>
  );
}
