import { moderatedRooms } from "../../auth/viewer";
import { router, signedInProcedure } from "../trpc";

export const meRouter = router({
  get: signedInProcedure.query(async ({ ctx }) => ({
    name: ctx.viewer.name,
    email: ctx.viewer.email,
    roles: ctx.viewer.roles,
    access: ctx.viewer.access,
    rooms: ctx.viewer.access === "moderator" ? await moderatedRooms(ctx.db, ctx.viewer) : null,
  })),
});
