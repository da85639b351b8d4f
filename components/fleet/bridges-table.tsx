"use client";
import { useQuery } from "@tanstack/react-query";
import { formatPercent } from "@/server/analysis/format";
import { useTRPC } from "../trpc";
import { Code, EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

const statusTone = { up: "good", down: "bad", draining: "warn", shutting_down: "warn", unknown: "neutral" } as const;

const mbps = (kbps: number) => (kbps / 1000).toFixed(1);

/**
 * Stress as JVB reports it: 0 idle, 1 at capacity. Red from the level the analyzer calls overloaded (Jicofo's
 * stress-threshold, 0.8 unless an admin changed it in Settings), amber from three quarters of it; grey until
 * that level has loaded.
 */
function StressBar({ value, overloadedAt }: { value: number; overloadedAt: number | null }) {
  const tone =
    overloadedAt === null ? "bg-zinc-400" : value >= overloadedAt ? "bg-red-500" : value >= 0.75 * overloadedAt ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="flex items-center gap-2" title={`stress ${value.toFixed(2)}`}>
      <div className="h-2 w-16 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={value} aria-label="Stress">
        <div className={`h-full ${tone}`} style={{ width: `${Math.min(100, value * 100)}%` }} />
      </div>
      <span className="tabular-nums">{value.toFixed(2)}</span>
    </div>
  );
}

export function BridgesTable() {
  const trpc = useTRPC();
  const bridges = useQuery(trpc.bridges.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const thresholds = useQuery(trpc.settings.thresholds.queryOptions());
  const overloadedAt = thresholds.data?.current.bridge.stressedAtLevel ?? null;
  if (bridges.isPending) return <Loading label="Loading bridges…" />;
  if (bridges.isLoadingError) return <ErrorNotice error={bridges.error}>Bridges could not be loaded.</ErrorNotice>;
  if (bridges.data.length === 0) {
    return (
      <EmptyState title="No bridges yet">
        <p>
          Every videobridge appears here with its stress, endpoints, bitrate, loss and health once Meetscope polls it. Point it at
          your fleet with <Code>JVB_URLS</Code> (each bridge&apos;s private REST, e.g. <Code>jvb1=http://10.0.0.5:8080</Code>, with
          COLIBRI REST enabled) and <Code>JICOFO_URLS</Code> (e.g. <Code>http://jicofo:8888</Code>), or add them in Settings → Jitsi sources.
        </p>
      </EmptyState>
    );
  }
  return (
    <Table label="Bridges" head={["Bridge", "Status", "Stress", "Endpoints", "Mbps in / out", "RTT", "Loss in / out", "Source"]}>
      {bridges.data.map((b) => (
        <tr key={b.id} id={`bridge-${b.name}`} className="target:bg-sky-50 dark:target:bg-sky-950">
          <Td>
            <div className="font-medium">{b.name}</div>
            <div className="text-xs text-zinc-500 dark:text-zinc-400">{[b.region, b.version].filter(Boolean).join(" · ") || "—"}</div>
          </Td>
          <Td>
            <Badge tone={statusTone[b.status]}>{b.status.replace("_", " ")}</Badge>
            {b.statusReason ? <div className="mt-1 max-w-56 text-xs text-zinc-500 dark:text-zinc-400">{b.statusReason}</div> : null}
          </Td>
          <Td>{b.latest ? <StressBar value={b.latest.stressLevel} overloadedAt={overloadedAt} /> : b.jicofo ? <StressBar value={b.jicofo.correctedStress} overloadedAt={overloadedAt} /> : "—"}</Td>
          <Td className="tabular-nums">
            {b.latest ? `${b.latest.endpoints} in ${b.latest.conferences} conf.` : b.jicofo ? `${b.jicofo.endpoints} (Jicofo)` : "—"}
          </Td>
          <Td className="tabular-nums">{b.latest ? `${mbps(b.latest.bitrateDownloadKbps)} / ${mbps(b.latest.bitrateUploadKbps)}` : "—"}</Td>
          <Td className="tabular-nums">{b.latest ? `${Math.round(b.latest.rttAggregateMs)} ms` : "—"}</Td>
          <Td className="tabular-nums">{b.latest ? `${formatPercent(b.latest.incomingLossFraction)} / ${formatPercent(b.latest.outgoingLossFraction)}` : "—"}</Td>
          <Td className="text-xs">
            {b.source ? (
              <>
                <div className="font-mono">{b.source.url}</div>
                <div className="text-zinc-500 dark:text-zinc-400">
                  last success <Time value={b.source.lastSuccessAt} />
                </div>
                {b.source.lastError && (!b.source.lastSuccessAt || (b.source.lastErrorAt && b.source.lastErrorAt > b.source.lastSuccessAt)) ? (
                  <div className="text-red-700 dark:text-red-400">{b.source.lastError}</div>
                ) : null}
              </>
            ) : (
              <span className="text-zinc-500 dark:text-zinc-400">Jicofo only</span>
            )}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
