import { latestReportSummaries } from "../../analyzer/meetings-view";
import { router, roomProcedure, viewerProcedure } from "../trpc";

export const roomsRouter = router({
  /** Rooms the viewer may open: a moderator's assigned rooms; for an admin, every room seen or assigned. */
  mine: viewerProcedure.query(async ({ ctx }) => {
    const names =
      ctx.scope.kind === "rooms"
        ? ctx.scope.rooms
        : [
            ...new Set([
              ...(await ctx.db.meeting.findMany({ distinct: ["room"], select: { room: true } })).map((m) => m.room),
              ...(await ctx.db.roomAssignment.findMany({ distinct: ["room"], select: { room: true } })).map((a) => a.room),
            ]),
          ].sort();
    const latest = await ctx.db.meeting.findMany({
      where: { room: { in: names } },
      distinct: ["room"],
      orderBy: [{ room: "asc" }, { startedAt: "desc" }],
      select: { room: true, startedAt: true, endedAt: true },
    });
    const byRoom = new Map(latest.map((m) => [m.room, m]));
    return names.map((room) => {
      const last = byRoom.get(room);
      return { room, live: Boolean(last && !last.endedAt), lastMeetingStartedAt: last?.startedAt ?? null };
    });
  }),

  /** A room's meetings, newest first, with their latest performance report. */
  health: roomProcedure.query(async ({ ctx, input }) => {
    const meetings = await ctx.db.meeting.findMany({
      where: { room: input.room },
      orderBy: { startedAt: "desc" },
      take: 20,
      include: {
        _count: { select: { participants: true } },
      },
    });
    const latest = await latestReportSummaries(ctx.db, meetings.map((m) => m.id));
    return {
      room: input.room,
      meetings: meetings.map((m) => ({
        id: m.id,
        startedAt: m.startedAt,
        endedAt: m.endedAt,
        participantsSeen: m._count.participants,
        latestReport: latest.get(m.id) ?? null,
      })),
    };
  }),
});
