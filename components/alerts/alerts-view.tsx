"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC, type RouterOutputs } from "../trpc";
import { CAUSE_LABEL, issueKindLabel } from "../meetings/labels";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading, SeverityBadge } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

type AlertList = RouterOutputs["alerts"]["list"];
type Alert = AlertList["firing"][number];

/** Firing and recently resolved quality alerts, and whether the webhooks accepted them. */
export function AlertsView() {
  const trpc = useTRPC();
  const list = useQuery(trpc.alerts.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  if (list.isPending) return <Loading label="Loading alerts…" />;
  if (list.isLoadingError) return <ErrorNotice error={list.error}>Alerts could not be loaded.</ErrorNotice>;
  const { targets, firing, resolved, resolvedWithinHours } = list.data;
  const sending = Boolean(targets.webhook || targets.alertmanager);
  return (
    <div className="space-y-6">
      <Card title="Delivery">
        {sending ? (
          <ul className="space-y-1 text-sm">
            {targets.webhook ? <li>JSON webhook: <code>{targets.webhook}/…</code></li> : null}
            {targets.alertmanager ? <li>Alertmanager: <code>{targets.alertmanager}/api/v2/alerts</code></li> : null}
            <li className="text-zinc-500 dark:text-zinc-400">Firing alerts are re-sent every minute until they resolve.</li>
          </ul>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Alerts are only shown here: no target is configured. Set <code>ALERT_WEBHOOK_URL</code> (a generic JSON body per alert)
            and/or <code>ALERTMANAGER_URL</code> (its base URL) in the server&apos;s environment and restart Meetscope.
          </p>
        )}
      </Card>
      <Card title={`Firing (${firing.length})`}>
        {firing.length === 0 ? (
          <EmptyState title="Nothing is firing" icon="✓">
            <p>When a meeting&apos;s 30-second report finds an issue, its alert appears here and goes to the configured targets; it resolves when the issue clears or the meeting ends.</p>
          </EmptyState>
        ) : (
          <AlertTable label="Firing alerts" alerts={firing} sending={sending} />
        )}
      </Card>
      <Card title={`Resolved in the last ${resolvedWithinHours} hours (${resolved.length})`}>
        {resolved.length === 0 ? <p className="text-sm text-zinc-500 dark:text-zinc-400">None.</p> : <AlertTable label="Resolved alerts" alerts={resolved} sending={sending} />}
      </Card>
    </div>
  );
}

function AlertTable({ label, alerts, sending }: { label: string; alerts: Alert[]; sending: boolean }) {
  const resolved = alerts.some((a) => a.resolvedAt);
  return (
    <Table label={label} head={["Severity", "Meeting", "Issue", "Since", resolved ? "Resolved" : "Last seen", "Delivery"]}>
      {alerts.map((a) => (
        <tr key={a.key}>
          <Td><SeverityBadge severity={a.severity} /></Td>
          <Td>
            <Link href={`/meetings/${a.meetingId}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{a.room}</Link>
          </Td>
          <Td>
            <div>{issueKindLabel(a.kind)}, cause: <strong>{CAUSE_LABEL[a.cause]}</strong></div>
            <div className="text-xs text-zinc-500 dark:text-zinc-400">{[a.who.join(", "), a.evidence[0]].filter(Boolean).join(" · ")}</div>
          </Td>
          <Td><Time value={a.firstSeenAt} /></Td>
          <Td><Time value={a.resolvedAt ?? a.lastSeenAt} /></Td>
          <Td><Delivery alert={a} sending={sending} /></Td>
        </tr>
      ))}
    </Table>
  );
}

function Delivery({ alert, sending }: { alert: Alert; sending: boolean }) {
  if (alert.lastError) {
    return (
      <>
        <Badge tone="bad">failed</Badge>
        <div className="mt-1 max-w-xs text-xs break-words text-red-700 dark:text-red-400">{alert.lastError}</div>
      </>
    );
  }
  if (alert.notifiedAt) return <span className="text-xs">sent <Time value={alert.notifiedAt} /></span>;
  return <span className="text-xs text-zinc-500 dark:text-zinc-400">{sending ? "pending" : "not sent (no target)"}</span>;
}
