import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Collector } from "@/server/collector/collector";
import { createJicofoClient, createJvbClient } from "@/server/jitsi";
import { startFleet, type Fleet } from "@/simulator/fleet/fleet";
import { openTestDb, type TestDb } from "./db";

/**
 * The simulator speaks the same shapes as a real fleet: everything it serves passes the schemas the clients
 * use against real bridges, and the collector works against it unchanged.
 */

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ bridges: 3, seed: 7, scenario: "steady-day" });
});
afterAll(() => fleet.stop());

const options = { timeoutMs: 2000 };

describe("simulator ↔ client contract", () => {
  it("every JVB endpoint parses with the clients' schemas", async () => {
    const jvb = createJvbClient(fleet.jvbUrl("jvb1")!, options);
    const stats = await jvb.stats();
    expect(stats.endpoints).toBeGreaterThan(0);
    expect(stats.stressLevel).toBeGreaterThan(0);
    expect(stats.region).toBe("eu-central-1");
    expect(await jvb.health()).toMatchObject({ healthy: true, httpStatus: 200 });
    expect((await jvb.version()).name).toBe("JVB");
    const debug = await jvb.debug();
    expect(debug.conferences.length).toBe(stats.conferences);
    expect(debug.loadManagement?.stress).toBeCloseTo(stats.stressLevel, 5);
  });

  it("drain round-trips through the REST API and shows in stats and in Jicofo", async () => {
    const jvb = createJvbClient(fleet.jvbUrl("jvb2")!, options);
    await jvb.setDrain(true);
    expect(await jvb.drainState()).toBe(true);
    expect((await jvb.stats()).drain).toBe(true);
    const jicofo = createJicofoClient(fleet.jicofoUrl, options);
    expect((await jicofo.debug()).bridges.find((b) => b.name === "jvb2")?.drain).toBe(true);
    await jvb.setDrain(false);
    expect(await jvb.drainState()).toBe(false);
  });

  it("Jicofo's stats, bridge selector and move API parse, and a move changes the placement", async () => {
    const jicofo = createJicofoClient(fleet.jicofoUrl, options);
    const stats = await jicofo.stats();
    expect(stats.bridgeCount).toBe(3);
    expect(stats.healthy).toBeNull(); // health checks off by default, as on a real Jicofo
    const debug = await jicofo.debug();
    expect(debug.selectionStrategy).toBe("SingleBridgeSelectionStrategy");
    expect(debug.bridges.map((b) => b.name).sort()).toEqual(["jvb1", "jvb2", "jvb3"]);
    const busiest = [...debug.bridges].sort((a, b) => b.endpoints - a.endpoints)[0]!;
    // Jicofo takes endpoints from the bridge's largest conference first and re-places them with the selection
    // strategy: a whole conference moved lands on another bridge (drain first, as an operator would).
    const busiestJvb = createJvbClient(fleet.jvbUrl(busiest.name)!, options);
    const largest = Math.max(...(await busiestJvb.debug()).conferences.map((c) => c.endpointIds.length));
    await busiestJvb.setDrain(true);
    const moved = await jicofo.moveEndpoints({ bridge: busiest.name, numEndpoints: largest });
    expect(moved).toEqual({ movedEndpoints: largest, conferences: 1 });
    const after = (await jicofo.debug()).bridges.find((b) => b.name === busiest.name)!;
    expect(after.endpoints).toBe(busiest.endpoints - largest);
    await expect(jicofo.moveEndpoints({ bridge: "no-such-bridge" })).rejects.toThrow(/Not found/);
  });

  it("a bridge with COLIBRI REST disabled answers 404, which the client reports as disabled", async () => {
    const url = await fleet.addBridge();
    const name = [...fleet.model.bridges.keys()].at(-1)!;
    await fetch(`${fleet.controlUrl}/control/bridges/${name}/rest`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ colibri: false }) });
    await expect(createJvbClient(url, options).stats()).rejects.toMatchObject({ kind: "disabled" });
  });
});

describe("collector against the simulated fleet", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb("pglite");
  });
  afterAll(() => testDb.close());

  it("polls configured bridges and lists the ones only Jicofo knows, with what Jicofo says", async () => {
    const collector = new Collector({
      db: testDb.db,
      collector: { intervalMs: 300, timeoutMs: 1000, concurrency: 8, rawRetentionHours: 1 },
      // jvb1 by URL; the others only through Jicofo
      sources: { jvb: [{ url: fleet.jvbUrl("jvb1")!, bridgeName: "jvb1" }], jicofo: [{ url: fleet.jicofoUrl, bridgeName: null }] },
      log: () => {},
    });
    await collector.start();
    await new Promise((r) => setTimeout(r, 1500));
    await collector.stop();
    const bridges = await testDb.db.bridge.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { samples: true } } } });
    expect(bridges.map((b) => b.name)).toEqual(expect.arrayContaining(["jvb1", "jvb2", "jvb3"]));
    const jvb1 = bridges.find((b) => b.name === "jvb1")!;
    expect(jvb1.sourceId).not.toBeNull();
    expect(jvb1._count.samples).toBeGreaterThan(0);
    expect(jvb1.jicofoState).toMatchObject({ name: "jvb1", operational: true });
    const jvb3 = bridges.find((b) => b.name === "jvb3")!;
    expect(jvb3.sourceId).toBeNull();
    expect(jvb3._count.samples).toBe(0);
    expect(jvb3.statusReason).toMatch(/^(known from Jicofo only|Jicofo: drain mode)/); // an earlier test may have drained it
  });
});
