import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { TIERS, type Context, type Tier } from "@/server/api/trpc";
import type { Role } from "@/server/auth/roles";
import { viewerFrom } from "@/server/auth/viewer";
import { openTestDb, type TestDb } from "./db";

/**
 * Walks every tRPC procedure × every kind of person and checks allowed or denied against the procedure's
 * declared tier. A procedure added without a tier, or with a tier that lets the wrong people through, fails.
 */

const PERSONAS = ["anonymous", "noRole", "moderatorOfRoom", "moderatorOfOtherRoom", "admin"] as const;
type Persona = (typeof PERSONAS)[number];

const ALLOWED: Record<Tier, Persona[]> = {
  public: [...PERSONAS],
  signedIn: ["noRole", "moderatorOfRoom", "moderatorOfOtherRoom", "admin"],
  viewer: ["moderatorOfRoom", "moderatorOfOtherRoom", "admin"],
  room: ["moderatorOfRoom", "admin"],
  meeting: ["moderatorOfRoom", "admin"],
  admin: ["admin"],
};

const ROOM = "alpha";

/**
 * The reviewed tier of every procedure. A new procedure must be added here too: that is the moment someone
 * decides, on purpose, who may call it.
 */
const EXPECTED_TIER: Record<string, Tier> = {
  "me.get": "signedIn",
  "overview.summary": "admin",
  "overview.issues": "admin",
  "alerts.list": "admin",
  "cache.stats": "admin",
  "meetings.list": "viewer",
  "meetings.detail": "meeting",
  "meetings.series": "meeting",
  "meetings.issues": "meeting",
  "rooms.mine": "viewer",
  "rooms.health": "room",
  "bridges.list": "admin",
  "scaling.history": "admin",
  "actions.list": "admin",
  "settings.assignments": "admin",
  "settings.assignRoom": "admin",
  "settings.unassignRoom": "admin",
  "settings.people": "admin",
  "settings.thresholds": "admin",
  "settings.setThresholds": "admin",
  "settings.resetThresholds": "admin",
  "live.meeting": "meeting",
  "live.fleet": "admin",
  "settings.tokens": "admin",
  "settings.createToken": "admin",
  "settings.revokeToken": "admin",
  "settings.sources": "admin",
  "settings.addSource": "admin",
  "settings.setSourceEnabled": "admin",
  "settings.removeSource": "admin",
};

function viewerOf(persona: Persona) {
  const make = (login: string, roles: Role[]) => viewerFrom(`sub-${login}`, `${login}@example.test`, login, roles);
  switch (persona) {
    case "anonymous":
      return null;
    case "noRole":
      return make("nora", []);
    case "moderatorOfRoom":
      return make("mona", ["moderator"]);
    case "moderatorOfOtherRoom":
      return make("otis", ["moderator"]);
    case "admin":
      return make("ada", ["admin"]);
  }
}

/** Inputs that pass validation where a procedure needs one; room-tier procedures get { room }. */
const SAMPLE_INPUT: Record<string, unknown> = {
  "settings.assignRoom": { email: "new@example.test", room: "gamma" },
  "settings.unassignRoom": { id: "00000000-0000-4000-8000-000000000000" },
  "settings.createToken": { name: "tier test", scope: "read" },
  "settings.revokeToken": { id: "00000000-0000-4000-8000-000000000000" },
  "settings.addSource": { kind: "JVB", url: "http://10.0.0.9:8080" },
  "settings.setSourceEnabled": { id: "00000000-0000-4000-8000-000000000000", enabled: false },
  "settings.removeSource": { id: "00000000-0000-4000-8000-000000000000" },
  "settings.setThresholds": {},
};

// _def.procedures is the flat path → procedure record; its static type is the nested router shape.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { tier?: Tier }; type: string } }>);

let testDb: TestDb;
let meetingInRoom: string;
beforeAll(async () => {
  testDb = await openTestDb("pglite");
  meetingInRoom = (await testDb.db.meeting.create({ data: { room: ROOM, startedAt: new Date(), lastSeenAt: new Date() } })).id;
  await testDb.db.roomAssignment.createMany({
    data: [
      { email: "mona@example.test", room: ROOM, createdBy: "test" },
      { email: "otis@example.test", room: "beta", createdBy: "test" },
    ],
  });
});
afterAll(() => testDb.close());

async function outcome(path: string, tier: Tier, persona: Persona): Promise<"allowed" | "denied"> {
  const ctx: Context = { db: testDb.db, viewer: viewerOf(persona) };
  const caller = createCaller(ctx) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [group, name] = path.split(".") as [string, string];
  const input = tier === "room" ? { room: ROOM } : tier === "meeting" ? { meetingId: meetingInRoom } : SAMPLE_INPUT[path];
  try {
    await caller[group]![name]!(input);
    return "allowed";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "UNAUTHORIZED") {
      expect(persona, `${path}: only anonymous callers get UNAUTHORIZED`).toBe("anonymous");
      return "denied";
    }
    if (error.code === "FORBIDDEN") return "denied";
    // Validation, not-found or conflict answers come after the tier checks: the caller got through.
    expect(["BAD_REQUEST", "NOT_FOUND", "CONFLICT"], `${path} as ${persona}: ${error.message}`).toContain(error.code);
    return "allowed";
  }
}

describe("tRPC procedure tiers", () => {
  it("every procedure declares a tier", () => {
    expect(procedures.length).toBeGreaterThan(5);
    for (const [path, procedure] of procedures) {
      expect(TIERS, `${path} has no tier: build it from a procedure in server/api/trpc.ts`).toContain(procedure._def.meta?.tier);
      expect(procedure._def.meta?.tier, `${path}: add its intended tier to EXPECTED_TIER in this test`).toBe(EXPECTED_TIER[path]);
    }
    expect(Object.keys(EXPECTED_TIER).sort()).toEqual(procedures.map(([path]) => path).sort());
  });

  for (const [path, procedure] of procedures) {
    const tier = procedure._def.meta?.tier ?? "admin";
    it(`${path} (${tier}) admits exactly ${ALLOWED[tier].join(", ")}`, async () => {
      const results = Object.fromEntries(await Promise.all(PERSONAS.map(async (p) => [p, await outcome(path, tier, p)] as const)));
      const expected = Object.fromEntries(PERSONAS.map((p) => [p, ALLOWED[tier].includes(p) ? "allowed" : "denied"]));
      expect(results).toEqual(expected);
    });
  }

  it("a moderator's lists hold only their rooms", async () => {
    await testDb.db.meeting.createMany({
      data: [
        { room: "beta", startedAt: new Date(), lastSeenAt: new Date() },
      ],
    });
    const mona = createCaller({ db: testDb.db, viewer: viewerOf("moderatorOfRoom") });
    expect((await mona.meetings.list()).map((m) => m.room)).toEqual([ROOM]);
    expect((await mona.rooms.mine()).map((r) => r.room)).toEqual([ROOM]);
    const ada = createCaller({ db: testDb.db, viewer: viewerOf("admin") });
    expect((await ada.meetings.list()).map((m) => m.room).sort()).toEqual([ROOM, "beta"]);
  });
});
