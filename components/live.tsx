"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
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

/** One meeting's live updates: new samples and reports refetch the meeting's queries. */
export function useMeetingLive(meetingId: string): Connection {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.live.meeting.subscriptionOptions(
      { meetingId },
      { onData: (event) => event.type !== "connected" && void queryClient.invalidateQueries({ queryKey: trpc.meetings.pathKey() }) },
    ),
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
        for (const key of [trpc.overview.pathKey(), trpc.bridges.pathKey(), trpc.meetings.list.pathKey()]) void queryClient.invalidateQueries({ queryKey: key });
      },
    }),
  );
  return <LiveStatus connection={{ status: subscription.status, error: subscription.error }} />;
}
