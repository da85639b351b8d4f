import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { roomNameSchema } from "../../auth/viewer";
import { adminProcedure, router } from "../trpc";

const emailSchema = z.email("expected an e-mail address, e.g. mia@example.org").transform((s) => s.toLowerCase());

export const settingsRouter = router({
  /** Moderator room assignments, grouped by person. */
  assignments: adminProcedure.query(({ ctx }) =>
    ctx.db.roomAssignment.findMany({ orderBy: [{ email: "asc" }, { room: "asc" }], select: { id: true, email: true, room: true, createdAt: true, createdBy: true } }),
  ),

  assignRoom: adminProcedure.input(z.object({ email: emailSchema, room: roomNameSchema })).mutation(async ({ ctx, input }) => {
    const existing = await ctx.db.roomAssignment.findUnique({ where: { email_room: input } });
    if (existing) throw new TRPCError({ code: "CONFLICT", message: `${input.email} already moderates "${input.room}".` });
    return ctx.db.roomAssignment.create({ data: { ...input, createdBy: ctx.viewer.email ?? ctx.viewer.subject } });
  }),

  unassignRoom: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.roomAssignment.deleteMany({ where: { id: input.id } });
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "That assignment no longer exists." });
    return { removed: count };
  }),

  /** People who have signed in, with the roles their last sign-in carried. */
  people: adminProcedure.query(({ ctx }) =>
    ctx.db.user.findMany({ orderBy: { lastSeenAt: "desc" }, take: 200, select: { email: true, name: true, roles: true, lastSeenAt: true } }),
  ),
});
