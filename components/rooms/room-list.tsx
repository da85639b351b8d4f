"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Time } from "../ui/time";

export function RoomList({ moderator }: { moderator: boolean }) {
  const trpc = useTRPC();
  const rooms = useQuery(trpc.rooms.mine.queryOptions(undefined, { refetchInterval: 10_000 }));
  if (rooms.isPending) return <Loading label="Loading rooms…" />;
  if (rooms.isLoadingError) return <ErrorNotice error={rooms.error}>Rooms could not be loaded.</ErrorNotice>;
  if (rooms.data.length === 0) {
    return (
      <EmptyState title="No rooms yet">
        <p>{moderator ? "No rooms are assigned to you. Ask a Meetscope administrator to assign your rooms in Settings." : "Rooms appear here once meetings are seen or moderators are assigned rooms in Settings."}</p>
      </EmptyState>
    );
  }
  return (
    <ul aria-label="Rooms" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {rooms.data.map((r) => (
        <li key={r.room}>
          <Link href={`/rooms/${encodeURIComponent(r.room)}`}
            className="block rounded-xl border border-zinc-200 bg-white p-4 shadow-sm hover:border-sky-400 dark:border-zinc-800 dark:bg-zinc-900">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">{r.room}</span>
              {r.live ? <Badge tone="good">live</Badge> : <Badge>idle</Badge>}
            </div>
            <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
              {r.lastMeetingStartedAt ? <>Last meeting <Time value={r.lastMeetingStartedAt} /></> : "No meeting seen yet"}
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
