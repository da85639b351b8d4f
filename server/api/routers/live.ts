import { liveEvents } from "../../live/bus";
import { watchMeeting } from "../../live/watchers";
import { adminProcedure, meetingProcedure, router } from "../trpc";

/**
 * Server-sent events through tRPC subscriptions. The browser keeps its data in React Query and refetches what
 * an event says changed; the event carries no data, so nothing here can leak across scopes.
 */
export const liveRouter = router({
  /** samples and reports of one meeting (admins, and moderators of its room) */
  meeting: meetingProcedure.subscription(async function* ({ ctx, signal }) {
    const unwatch = watchMeeting(ctx.meeting.id);
    try {
      yield { type: "connected" as const };
      for await (const event of liveEvents(signal)) {
        if ((event.type === "samples" && event.meetingIds.includes(ctx.meeting.id)) || (event.type === "report" && event.meetingId === ctx.meeting.id)) {
          yield { type: event.type };
        }
      }
    } finally {
      unwatch();
    }
  }),

  /** anything in the fleet changed (admins): the overview, bridges and meetings lists refresh */
  fleet: adminProcedure.subscription(async function* ({ signal }) {
    yield { type: "connected" as const };
    let last = 0;
    for await (const event of liveEvents(signal)) {
      // at most one nudge a second: a busy fleet posts many batches a second
      if (Date.now() - last < 1000) continue;
      last = Date.now();
      yield { type: event.type };
    }
  }),
});
