import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { DEFAULT_THRESHOLDS, thresholdsSchema } from "../../analysis/thresholds";
import { loadThresholds, THRESHOLDS_SETTING_KEY } from "../../analyzer/analyzer";
import { roomNameSchema } from "../../auth/viewer";
import type { Prisma } from "../../db/generated/client";
import { createToken, forgetCachedTokens, scopeName, TOKEN_SCOPES } from "../../tokens/tokens";
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

  tokens: adminProcedure.query(async ({ ctx }) =>
    (await ctx.db.apiToken.findMany({ orderBy: { createdAt: "desc" } })).map((t) => ({
      id: t.id,
      name: t.name,
      scope: scopeName(t.scope),
      prefix: t.prefix,
      createdAt: t.createdAt,
      createdBy: t.createdBy,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
    })),
  ),

  /** Returns the secret: the only time it is shown. */
  createToken: adminProcedure
    .input(z.object({ name: z.string().trim().min(1, "name is empty").max(100), scope: z.enum(TOKEN_SCOPES) }))
    .mutation(({ ctx, input }) => createToken(ctx.db, { ...input, createdBy: ctx.viewer.email ?? ctx.viewer.subject })),

  revokeToken: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.apiToken.updateMany({ where: { id: input.id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "No active token with that id." });
    forgetCachedTokens();
    return { revoked: count };
  }),

  sources: adminProcedure.query(({ ctx }) =>
    ctx.db.source.findMany({
      orderBy: [{ kind: "asc" }, { url: "asc" }],
      include: { transitions: { orderBy: { at: "desc" }, take: 5 } },
    }),
  ),

  addSource: adminProcedure
    .input(
      z.object({
        kind: z.enum(["JVB", "JICOFO"]),
        url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL, e.g. http://10.0.0.5:8080" }).transform((u) => u.replace(/\/+$/, "")),
        bridgeName: z.string().trim().max(100).regex(/^[^\s/]*$/, "bridge name must not contain spaces or '/'").optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (await ctx.db.source.findUnique({ where: { url: input.url } })) {
        throw new TRPCError({ code: "CONFLICT", message: `${input.url} is already a source.` });
      }
      return ctx.db.source.create({
        data: { kind: input.kind, url: input.url, bridgeName: input.kind === "JVB" ? input.bridgeName || null : null, origin: "settings", createdBy: ctx.viewer.email ?? ctx.viewer.subject },
      });
    }),

  setSourceEnabled: adminProcedure.input(z.object({ id: z.uuid(), enabled: z.boolean() })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.source.updateMany({ where: { id: input.id }, data: { enabled: input.enabled } });
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "That source no longer exists." });
    return { updated: count };
  }),

  removeSource: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const source = await ctx.db.source.findUnique({ where: { id: input.id } });
    if (!source) throw new TRPCError({ code: "NOT_FOUND", message: "That source no longer exists." });
    if (source.origin === "env") {
      throw new TRPCError({ code: "BAD_REQUEST", message: "This source comes from JVB_URLS / JICOFO_URLS: remove it there (or disable it here)." });
    }
    await ctx.db.source.delete({ where: { id: input.id } });
    return { removed: 1 };
  }),

  /** The quality thresholds in force, the published defaults beside them. */
  thresholds: adminProcedure.query(async ({ ctx }) => {
    const row = await ctx.db.setting.findUnique({ where: { key: THRESHOLDS_SETTING_KEY } });
    return { current: await loadThresholds(ctx.db), defaults: DEFAULT_THRESHOLDS, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
  }),

  setThresholds: adminProcedure.input(thresholdsSchema).mutation(async ({ ctx, input }) => {
    const value = input as unknown as Prisma.InputJsonValue;
    const updatedBy = ctx.viewer.email ?? ctx.viewer.subject;
    await ctx.db.setting.upsert({ where: { key: THRESHOLDS_SETTING_KEY }, create: { key: THRESHOLDS_SETTING_KEY, value, updatedBy }, update: { value, updatedBy } });
    return { saved: true };
  }),

  resetThresholds: adminProcedure.mutation(async ({ ctx }) => {
    await ctx.db.setting.deleteMany({ where: { key: THRESHOLDS_SETTING_KEY } });
    return { reset: true };
  }),

  /** People who have signed in, with the roles their last sign-in carried. */
  people: adminProcedure.query(({ ctx }) =>
    ctx.db.user.findMany({ orderBy: { lastSeenAt: "desc" }, take: 200, select: { email: true, name: true, roles: true, lastSeenAt: true } }),
  ),
});
