import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { moderatedRooms, roomNameSchema, type Scope, type Viewer } from "../auth/viewer";
import type { Db } from "../db/client";

/**
 * Every procedure declares one tier (in `meta.tier`), from the builders below; the tier test walks all of them.
 * - public: anyone, signed in or not
 * - signedIn: any signed-in person, even without a Meetscope role
 * - viewer: admins and moderators; data is filtered by `ctx.scope` (moderators see only their rooms)
 * - room: admins, and moderators of the room named in the input
 * - meeting: admins, and moderators of the room of the meeting named in the input (404 if there is none)
 * - admin: administrators only
 */
export const TIERS = ["public", "signedIn", "viewer", "room", "meeting", "admin"] as const;
export type Tier = (typeof TIERS)[number];

export interface Context {
  db: Db;
  viewer: Viewer | null;
}

const t = initTRPC
  .context<Context>()
  .meta<{ tier: Tier }>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null,
          /** every invalid field with its full path (nested inputs), e.g. "bridge.stressedAtLevel" */
          issues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to use Meetscope." });
  return next({ ctx: { viewer: ctx.viewer } });
});

const withScope = signedIn.unstable_pipe(async ({ ctx, next }) => {
  const viewer = ctx.viewer;
  let scope: Scope;
  if (viewer.access === "admin") scope = { kind: "all" };
  else if (viewer.access === "moderator") scope = { kind: "rooms", rooms: await moderatedRooms(ctx.db, viewer) };
  else throw new TRPCError({ code: "FORBIDDEN", message: "This needs the Meetscope admin or moderator role." });
  return next({ ctx: { scope } });
});

export const publicProcedure = t.procedure.meta({ tier: "public" });

export const signedInProcedure = t.procedure.meta({ tier: "signedIn" }).use(signedIn);

export const viewerProcedure = t.procedure.meta({ tier: "viewer" }).use(withScope);

export const roomProcedure = t.procedure
  .meta({ tier: "room" })
  .use(withScope)
  .input(z.object({ room: roomNameSchema }))
  .use(({ ctx, input, next }) => {
    if (ctx.scope.kind === "rooms" && !ctx.scope.rooms.includes(input.room)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `You do not moderate the room "${input.room}".` });
    }
    return next();
  });

export const meetingProcedure = t.procedure
  .meta({ tier: "meeting" })
  .use(withScope)
  .input(z.object({ meetingId: z.uuid() }))
  .use(async ({ ctx, input, next }) => {
    const meeting = await ctx.db.meeting.findUnique({ where: { id: input.meetingId }, select: { id: true, room: true, endedAt: true } });
    if (!meeting) throw new TRPCError({ code: "NOT_FOUND", message: "No meeting with that id." });
    if (ctx.scope.kind === "rooms" && !ctx.scope.rooms.includes(meeting.room)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `You do not moderate the room "${meeting.room}".` });
    }
    return next({ ctx: { meeting } });
  });

export const adminProcedure = t.procedure
  .meta({ tier: "admin" })
  .use(signedIn)
  .use(({ ctx, next }) => {
    if (ctx.viewer.access !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "This needs the Meetscope admin role." });
    return next();
  });
