"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo } from "react";
import { useTRPC } from "./trpc";

type Status = "idle" | "connecting" | "pending" | "error";
/** A subscription's state as the indicator needs it: tRPC reports a dropped stream as "connecting" with its error. */
interface Connection {
  status: Status;
  error: unknown;
}

/** Says whether the page is receiving live updates, and says so while it is away (EventSource reconnects). */
export function LiveStatus({ connection }: { connection: Connection }) {
  const { status } = connection;
  const live = status === "pending";
  const lost = status === "error" || (status === "connecting" && connection.error !== null);
  return (
    <span role="status" aria-label="Live updates" aria-live="polite" className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <span aria-hidden="true" className={`size-2 rounded-full ${live ? "bg-emerald-500" : "animate-pulse bg-amber-500"}`} />
      {live ? "Live" : lost ? "Connection lost: reconnecting…" : "Connecting to live updates…"}
    </span>
  );
}

/** A meeting page refetches at most this often however many participants post samples. */
const MEETING_REFETCH_MIN_INTERVAL_MS = 1_000;

/** Calls `fn` at once, then at most once per `intervalMs` (the calls in between become one trailing call). */
function throttled(fn: () => void, intervalMs: number): { call: () => void; cancel: () => void } {
  let lastMs = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    lastMs = Date.now();
    fn();
  };
  return {
    call: () => {
      if (timer) return;
      const waitMs = lastMs + intervalMs - Date.now();
      if (waitMs <= 0) run();
      else timer = setTimeout(run, waitMs);
    },
    cancel: () => void (timer && clearTimeout(timer)),
  };
}

/**
 * One meeting's live updates: new samples and reports refetch this meeting's queries — at once for the first
 * event, then at most once a second (each participant's client posts on its own, so events come in bursts).
 */
export function useMeetingLive(meetingId: string): Connection {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refetch = useMemo(
    () =>
      throttled(
        () =>
          void queryClient.invalidateQueries({
            queryKey: trpc.meetings.pathKey(),
            predicate: (query) => (query.queryKey[1] as { input?: { meetingId?: string } } | undefined)?.input?.meetingId === meetingId,
          }),
        MEETING_REFETCH_MIN_INTERVAL_MS,
      ),
    [queryClient, trpc, meetingId],
  );
  useEffect(() => refetch.cancel, [refetch]);
  const subscription = useSubscription(
    trpc.live.meeting.subscriptionOptions({ meetingId }, { onData: (event) => event.type !== "connected" && refetch.call() }),
  );
  return { status: subscription.status, error: subscription.error };
}

/** Fleet-wide live updates for admin pages: bridges, meetings, the overview. */
export function FleetLive() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.live.fleet.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.type === "connected") return;
        for (const key of [trpc.overview.pathKey(), trpc.bridges.pathKey(), trpc.meetings.list.pathKey(), trpc.alerts.pathKey()]) {
          void queryClient.invalidateQueries({ queryKey: key });
        }
      },
    }),
  );
  return <LiveStatus connection={{ status: subscription.status, error: subscription.error }} />;
}
