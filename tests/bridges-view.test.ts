import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bridgeViews } from "@/server/fleet/bridges-view";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

describe.each(DB_KINDS)("bridge views on %s", (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(kind);
  });
  afterAll(() => testDb.close());

  it("a bridge nothing has reported on for minutes shows unknown, not its last status", async () => {
    const now = new Date("2026-11-25T12:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    const failing = await testDb.db.source.create({ data: { kind: "JVB", url: `http://jvb-failing-${kind}:8080`, lastErrorAt: ago(20), lastError: "connection refused", downSince: ago(3600) } });
    const disabled = await testDb.db.source.create({ data: { kind: "JVB", url: `http://jvb-disabled-${kind}:8080`, enabled: false, lastSuccessAt: ago(3600) } });
    await testDb.db.bridge.createMany({
      data: [
        { name: `scaled-in-${kind}`, status: "UP", statusSince: ago(7200), jicofoSeenAt: ago(600) }, // left the brewery 10 min ago
        { name: `jicofo-only-${kind}`, status: "UP", statusSince: ago(7200), jicofoSeenAt: ago(5) },
        { name: `down-${kind}`, status: "DOWN", statusReason: "connection refused", statusSince: ago(3600), sourceId: failing.id },
        { name: `disabled-${kind}`, status: "UP", statusSince: ago(7200), sourceId: disabled.id },
      ],
    });
    const status = Object.fromEntries((await bridgeViews(testDb.db, {}, now)).map((b) => [b.name.replace(`-${kind}`, ""), [b.status, b.statusReason]]));
    expect(status["scaled-in"]).toEqual(["unknown", "nothing heard from the bridge or Jicofo since 2026-11-25T11:50:00.000Z"]);
    expect(status["jicofo-only"]![0]).toBe("up");
    expect(status["down"]).toEqual(["down", "connection refused"]); // still polled, still failing: down is current
    expect(status["disabled"]![0]).toBe("unknown");
  });
});
