import { describe, expect, it } from "vitest";
import {
  BAD_NETWORK_TARGET,
  type Bridge,
  CPU_STARVED_TARGET,
  FleetModel,
  type FleetModelOptions,
  MoveError,
  selectGreedy,
} from "./model";
import { colibriStats, conferenceSizes, jicofoStats, jvbTimestamp } from "./views";

const T0 = Date.parse("2026-03-14T10:00:00.000Z");

/** An empty fleet: no random population, no demo rooms — placements are fully controlled by the test. */
function emptyFleet(extra: Partial<FleetModelOptions> = {}): FleetModel {
  return new FleetModel({ startMs: T0, seed: 42, bridges: 3, population: false, demoRooms: false, ...extra });
}

function bridge(m: FleetModel, name: string): Bridge {
  const b = m.bridge(name);
  if (!b) throw new Error(`no ${name}`);
  return b;
}

/** Pin reported stress (as if the last presence said so) and clear Jicofo's ramp-up correction. */
function setStress(m: FleetModel, stress: Record<string, number>): void {
  for (const [name, s] of Object.entries(stress)) {
    const b = bridge(m, name);
    b.stressLevel = s;
    b.jicofo.recentAddsMs = [];
  }
}

function fillConference(m: FleetModel, room: string, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(m.join(room, { sendingVideo: true, sendingAudio: i === 0 }).endpointId);
  return ids;
}

describe("bridge selection (Jicofo SingleBridgeSelectionStrategy)", () => {
  it("puts a new conference on the least-loaded bridge and keeps the conference there", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.5, jvb2: 0.2, jvb3: 0.3 });
    const first = m.join("weekly-sync");
    expect(first.bridge).toBe("jvb2");
    // everyone else joins the conference's bridge, whatever the load
    setStress(m, { jvb2: 0.95 });
    expect(m.join("weekly-sync").bridge).toBe("jvb2");
  });

  it("counts recently added endpoints (corrected stress = stress + 0.01 per endpoint added in the last 20 s)", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.3, jvb2: 0.33, jvb3: 0.9 });
    fillConference(m, "big", 5); // jvb1: 0.3 + 0.05 = 0.35 > 0.33
    expect(bridge(m, "jvb1").endpointIds.size).toBe(5);
    expect(m.correctedStress(bridge(m, "jvb1"))).toBeCloseTo(0.35, 6);
    expect(m.join("next").bridge).toBe("jvb2");
    // after the 20 s ramp-up interval the correction is gone
    m.step(T0 + 21_000);
    setStress(m, { jvb1: 0.3, jvb2: 0.33 });
    expect(m.correctedStress(bridge(m, "jvb1"))).toBeCloseTo(0.3, 6);
  });

  it("prefers non-draining bridges, and falls back to draining ones only when nothing else is left", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.2, jvb3: 0.3 });
    m.setDrain("jvb1", true);
    expect(m.join("a").bridge).toBe("jvb2");
    m.setDrain("jvb2", true);
    m.setDrain("jvb3", true);
    setStress(m, { jvb1: 0.1, jvb2: 0.2, jvb3: 0.3 });
    // all draining: the least loaded of them
    expect(m.join("b").bridge).toBe("jvb1");
    // a draining bridge keeps its running conferences
    expect(m.join("a").bridge).toBe("jvb2");
  });

  it("a single draining bridge still gets conferences", () => {
    const m = emptyFleet({ bridges: 1 });
    m.setDrain("jvb1", true);
    expect(m.join("solo").bridge).toBe("jvb1");
  });

  it("prefers the participant's region, then the least loaded anywhere", () => {
    const m = emptyFleet({ regions: ["eu-central-1", "us-east-1"] });
    setStress(m, { jvb1: 0.6, jvb2: 0.1, jvb3: 0.2 }); // jvb1, jvb3 in eu; jvb2 in us
    expect(m.join("eu-room", { region: "eu-central-1" }).bridge).toBe("jvb3");
    expect(m.join("no-region", { region: null }).bridge).toBe("jvb2");
    expect(m.join("ap-room", { region: "ap-south-1" }).bridge).toBe("jvb2");
  });

  it("never selects a SHUTTING_DOWN bridge and avoids graceful-shutdown bridges for new conferences", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.2, jvb3: 0.3 });
    fillConference(m, "busy", 2); // on jvb1
    m.shutdown("jvb1", true); // graceful, still has endpoints
    expect(bridge(m, "jvb1").shutdownState).toBe("GRACEFUL_SHUTDOWN");
    setStress(m, { jvb1: 0.0, jvb2: 0.2, jvb3: 0.3 });
    expect(m.join("new").bridge).toBe("jvb2");
    // existing conferences keep joining the graceful bridge (JVB accepts endpoints in existing conferences)
    expect(m.join("busy").bridge).toBe("jvb1");
    m.shutdown("jvb2", false);
    expect(bridge(m, "jvb2").shutdownState).toBe("SHUTTING_DOWN");
    expect(m.join("another").bridge).toBe("jvb3");
  });
});

describe("RegionBasedBridgeSelectionStrategy with relays", () => {
  it("caps a conference at max-bridge-participants (80) per bridge and relays between bridges", () => {
    const m = emptyFleet({ selectionStrategy: "RegionBasedBridgeSelectionStrategy" });
    expect(m.relays).toBe(true);
    setStress(m, { jvb1: 0.1, jvb2: 0.2, jvb3: 0.3 });
    for (let i = 0; i < 90; i++) {
      m.join("town-hall", { region: "eu-central-1" });
      // keep the ramp-up correction out of the way: this test is about the per-conference cap
      for (const b of m.bridges.values()) b.jicofo.recentAddsMs = [];
    }
    expect(bridge(m, "jvb1").roomCounts.get("town-hall")).toBe(80);
    expect(bridge(m, "jvb2").roomCounts.get("town-hall")).toBe(10);
    m.step(T0 + 5_000);
    const s1 = colibriStats(bridge(m, "jvb1"), "x");
    expect(s1).toMatchObject({ local_endpoints: 80, octo_endpoints: 10, endpoints: 90, largest_conference: 90, octo_conferences: 1, relay_id: "jvb1" });
    expect(s1.octo_receive_bitrate as number).toBeGreaterThan(0);
    expect(colibriStats(bridge(m, "jvb2"), "x")).toMatchObject({ local_endpoints: 10, total_relays: 1 });
  });
});

describe("graceful shutdown state machine", () => {
  it("RUNNING → GRACEFUL_SHUTDOWN → SHUTTING_DOWN when empty → gone after 1 min", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.2, jvb3: 0.3 });
    const ids = fillConference(m, "standup", 3);
    m.removeBridge("jvb1");
    const b = bridge(m, "jvb1");
    expect(b.shutdownState).toBe("GRACEFUL_SHUTDOWN");
    expect(colibriStats(b, "x").graceful_shutdown).toBe(true);
    expect(colibriStats(b, "x").shutting_down).toBe(false);
    m.leave(ids[0] as string);
    m.leave(ids[1] as string);
    expect(b.shutdownState).toBe("GRACEFUL_SHUTDOWN");
    m.leave(ids[2] as string);
    expect(b.shutdownState).toBe("SHUTTING_DOWN");
    // the graceful_shutdown gauge is never cleared upstream
    expect(colibriStats(b, "x").graceful_shutdown).toBe(true);
    expect(colibriStats(b, "x").shutting_down).toBe(true);
    m.step(T0 + 59_000);
    expect(b.gone).toBe(false);
    m.step(T0 + 61_000);
    expect(b.gone).toBe(true);
    expect(b.jicofo.known).toBe(false);
    // left while in shutdown: not a lost bridge
    expect(m.jicofo.lostBridges).toBe(0);
  });

  it("an idle bridge goes straight to SHUTTING_DOWN; a non-graceful shutdown moves its participants", () => {
    const m = emptyFleet();
    m.shutdown("jvb3", true);
    expect(bridge(m, "jvb3").shutdownState).toBe("SHUTTING_DOWN");
    setStress(m, { jvb1: 0.1, jvb2: 0.2 });
    fillConference(m, "retro", 4);
    expect(bridge(m, "jvb1").endpointIds.size).toBe(4);
    m.shutdown("jvb1", false);
    expect(bridge(m, "jvb1").gracefulShutdownFlag).toBe(false);
    expect(bridge(m, "jvb1").endpointIds.size).toBe(0);
    expect(bridge(m, "jvb2").endpointIds.size).toBe(4);
    expect(m.jicofo.participantsMoved).toBe(4);
  });
});

describe("stress", () => {
  it("rises with load and a stressed bridge degrades everybody on it", () => {
    const m = emptyFleet({ bridges: 1 });
    m.step(T0 + 10_000);
    const idle = bridge(m, "jvb1").stressLevel;
    expect(idle).toBeLessThan(0.1);
    for (let c = 0; c < 8; c++) fillConference(m, `room-${c}`, 20);
    m.step(T0 + 20_000);
    const loaded = bridge(m, "jvb1").stressLevel;
    expect(loaded).toBeGreaterThan(idle + 0.5);
    expect(loaded).toBeGreaterThan(0.8);
    const losses = [...m.participants.values()].map((p) => p.metrics.lossSendFraction);
    // every participant on the bridge suffers, not just a few
    expect(Math.min(...losses)).toBeGreaterThan(0.01);
    expect(colibriStats(bridge(m, "jvb1"), "x").incoming_loss).toMatchObject({ value: expect.any(Number) });
  });

  it("is sampled every 10 s, not continuously", () => {
    const m = emptyFleet({ bridges: 1 });
    const b = bridge(m, "jvb1");
    m.step(T0 + 10_000);
    const before = b.stressLevel;
    const next = b.nextStressSampleMs;
    for (let c = 0; c < 4; c++) fillConference(m, `r${c}`, 20);
    m.step(next - 1);
    expect(b.stressLevel).toBe(before);
    m.step(next);
    expect(b.stressLevel).toBeGreaterThan(before);
  });
});

describe("move-endpoints (Jicofo LoadRedistributor)", () => {
  it("selects greedily in the given order (upstream doc example)", () => {
    const m: ReadonlyArray<readonly [string, number]> = [["a", 1], ["b", 3], ["c", 3]];
    expect(selectGreedy(m, 1)).toEqual([["a", 1]]);
    expect(selectGreedy(m, 3)).toEqual([["a", 1], ["b", 2]]);
    expect(selectGreedy(m, 6)).toEqual([["a", 1], ["b", 3], ["c", 2]]);
    expect(selectGreedy(m, 100)).toEqual([["a", 1], ["b", 3], ["c", 3]]);
  });

  it("takes endpoints from the bridge's largest conferences first and re-places them", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.5, jvb3: 0.6 });
    fillConference(m, "small", 2);
    fillConference(m, "large", 5);
    fillConference(m, "medium", 3);
    expect(bridge(m, "jvb1").endpointIds.size).toBe(10);
    // operators drain first so that re-placed conferences go elsewhere
    m.setDrain("jvb1", true);
    setStress(m, { jvb1: 0.4, jvb2: 0.2, jvb3: 0.3 });
    const result = m.moveEndpoints("jvb1", null, 6);
    expect(result).toEqual({ movedEndpoints: 6, conferences: 2 });
    // the whole "large" conference left jvb1 and was placed on the least-loaded bridge
    expect(bridge(m, "jvb1").roomCounts.get("large")).toBeUndefined();
    expect(bridge(m, "jvb2").roomCounts.get("large")).toBe(5);
    // one of "medium" was moved, but its conference still has a bridge without relay_id, so Jicofo puts it back
    expect(bridge(m, "jvb1").roomCounts.get("medium")).toBe(3);
    expect(m.jicofo.participantsMoved).toBe(6);
  });

  it("move-fraction rounds fraction × endpoints on the bridge; bridge accepts nickname or full JID", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.5, jvb3: 0.6 });
    fillConference(m, "x", 4);
    fillConference(m, "y", 3);
    m.setDrain("jvb1", true);
    expect(m.moveFraction(bridge(m, "jvb1").jid, 0.5)).toEqual({ movedEndpoints: 4, conferences: 1 }); // round(3.5)
    expect(bridge(m, "jvb1").endpointIds.size).toBe(3);
    expect(m.moveEndpoints("jvb1", "y@conference.meet.example", 10)).toEqual({ movedEndpoints: 3, conferences: 1 });
    expect(bridge(m, "jvb1").endpointIds.size).toBe(0);
  });

  it("move-endpoint moves one endpoint, only from the named bridge", () => {
    const m = emptyFleet();
    setStress(m, { jvb1: 0.1, jvb2: 0.5, jvb3: 0.6 });
    const [id] = fillConference(m, "pair", 1);
    expect(m.moveEndpoint("pair@conference.meet.example", id as string, "jvb2")).toEqual({ movedEndpoints: 0, conferences: 0 });
    m.setDrain("jvb1", true);
    expect(m.moveEndpoint("pair@conference.meet.example", id as string, null)).toEqual({ movedEndpoints: 1, conferences: 1 });
    expect(m.participants.get(id as string)?.bridge).toBe("jvb2");
  });

  it("reports Jicofo's errors", () => {
    const m = emptyFleet();
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof MoveError ? `${e.kind}: ${e.message}` : String(e);
      }
      return "no error";
    };
    expect(err(() => m.moveEndpoints(null, null, 1))).toBe("missing-parameter: Missing parameter: bridge");
    expect(err(() => m.moveEndpoints("jvb9", null, 1))).toBe("bridge-not-found: Bridge not found: jvb9");
    expect(err(() => m.moveEndpoints("jvb1", "nope@conference.meet.example", 1))).toBe(
      "conference-not-found: Conference not found: nope@conference.meet.example",
    );
    expect(err(() => m.moveEndpoint("roomonly", "abcd1234", null))).toBe("invalid-parameter: Invalid parameter: conference ID");
    expect(err(() => m.moveEndpoint("x@conference.meet.example", null, null))).toBe("missing-parameter: Missing parameter: endpoint");
  });
});

describe("scenarios", () => {
  const run = (scenario: FleetModelOptions["scenario"], seconds: number) => {
    const m = new FleetModel({ startMs: T0, seed: 7, scenario });
    for (let t = 5; t <= seconds; t += 5) m.step(T0 + t * 1000);
    return m;
  };

  it("bad-network: the named participant in weekly-sync has heavy loss and RTT", () => {
    const m = run("bad-network", 60);
    const p = m.participants.get(BAD_NETWORK_TARGET.endpointId);
    expect(p?.room).toBe("weekly-sync");
    expect(p?.displayName).toBe(BAD_NETWORK_TARGET.displayName);
    expect(p?.metrics.lossSendFraction).toBeGreaterThan(0.1);
    expect(p?.metrics.lossRecvFraction).toBeGreaterThan(0.08);
    expect(p?.metrics.rttMs).toBeGreaterThan(300);
    // nobody else in the room suffers like that (it is not the bridge)
    const others = [...m.participants.values()].filter((o) => o.room === "weekly-sync" && o !== p);
    expect(Math.max(...others.map((o) => o.metrics.lossSendFraction))).toBeLessThan(0.03);
    // the same participant is healthy in steady-day
    expect(run("steady-day", 60).participants.get(BAD_NETWORK_TARGET.endpointId)?.metrics.lossSendFraction).toBeLessThan(0.03);
  });

  it("cpu-starved: the named participant is CPU-limited at low resolution and frame rate", () => {
    const m = run("cpu-starved", 30);
    const p = m.participants.get(CPU_STARVED_TARGET.endpointId);
    expect(p?.room).toBe("design-review");
    expect(p?.metrics.qualityLimitationReason).toBe("cpu");
    expect(p?.metrics.videoSendFps).toBeLessThan(10);
    expect(p?.metrics.videoSendHeightPx).toBe(180);
    expect([...m.participants.values()].filter((o) => o.metrics.qualityLimitationReason === "cpu")).toHaveLength(1);
  });

  it("bridge-failure: one bridge dies after 90 s; Jicofo moves its participants and counts a lost bridge", () => {
    const m = run("bridge-failure", 85);
    expect(m.liveBridges()).toHaveLength(3);
    const moved = m.jicofo.participantsMoved;
    for (let t = 90; t <= 100; t += 5) m.step(T0 + t * 1000);
    const dead = [...m.bridges.values()].filter((b) => b.failed);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.endpointIds.size).toBe(0);
    expect(m.jicofo.lostBridges).toBe(1);
    expect(m.jicofo.participantsMoved).toBeGreaterThan(moved);
    expect([...m.participants.values()].every((p) => p.bridge !== dead[0]?.name)).toBe(true);
    expect(jicofoStats(m).bridge_selector).toMatchObject({ bridge_count: 2, lost_bridges: 1 });
  });

  it("morning-surge: stress climbs past Jicofo's 0.8 threshold", () => {
    const m = run("morning-surge", 12 * 60);
    const stress = m.liveBridges().map((b) => b.stressLevel);
    expect(Math.max(...stress)).toBeGreaterThan(0.8);
    const steady = run("steady-day", 12 * 60);
    expect(Math.max(...steady.liveBridges().map((b) => b.stressLevel))).toBeLessThan(0.8);
  });

  it("setScenario switches at runtime (and back)", () => {
    const m = run("steady-day", 10);
    m.setScenario("cpu-starved");
    m.step(T0 + 15_000);
    expect(m.participants.get(CPU_STARVED_TARGET.endpointId)?.metrics.qualityLimitationReason).toBe("cpu");
    m.setScenario("steady-day");
    m.step(T0 + 20_000);
    expect(m.participants.get(CPU_STARVED_TARGET.endpointId)?.metrics.qualityLimitationReason).not.toBe("cpu");
  });
});

describe("runtime controls and counters", () => {
  it("degrades one participant's network and limits its CPU", () => {
    const m = new FleetModel({ startMs: T0, seed: 3 });
    const p = [...m.participants.values()].find((x) => x.room === "all-hands" && x.sendingVideo);
    if (!p) throw new Error("no video sender in all-hands");
    expect(m.degradeParticipant(p.endpointId, { rttMs: 500, lossSendFraction: 0.2 })).toBe(true);
    expect(m.setCpuLimited(p.endpointId, true)).toBe(true);
    m.step(T0 + 5_000);
    expect(p.metrics.rttMs).toBeGreaterThan(450);
    expect(p.metrics.lossSendFraction).toBeGreaterThan(0.15);
    expect(p.metrics.qualityLimitationReason).toBe("cpu");
    expect(m.degradeParticipant("00000000", { rttMs: 1 })).toBe(false);
  });

  it("keeps cumulative counters monotone and consistent", () => {
    const m = new FleetModel({ startMs: T0, seed: 11 });
    let prev = new Map<string, Record<string, unknown>>();
    for (let t = 5; t <= 40 * 60; t += 5) {
      m.step(T0 + t * 1000);
      if (t % 300 !== 0) continue;
      for (const b of m.liveBridges()) {
        const s = colibriStats(b, "x");
        const before = prev.get(b.name);
        for (const [k, v] of Object.entries(s)) {
          if (k.startsWith("total_") && typeof v === "number" && before) expect(v).toBeGreaterThanOrEqual(before[k] as number);
        }
        // created − completed = conferences running on the bridge now
        expect((s.total_conferences_created as number) - (s.total_conferences_completed as number)).toBe(s.conferences);
        expect(s.total_ice_succeeded as number).toBe(s.total_participants);
        expect(s.endpoints).toBe(s.participants);
        expect((s.local_active_endpoints as number) + (s.inactive_endpoints as number)).toBe(s.local_endpoints);
      }
      prev = new Map(m.liveBridges().map((b) => [b.name, colibriStats(b, "x")]));
    }
    const jc = m.jicofoCounts();
    const onBridges = m.liveBridges().reduce((a, b) => a + b.endpointIds.size, 0);
    expect(onBridges + m.jicofo.unplaced).toBe(jc.participants);
  });

  it("is deterministic for a seed", () => {
    const a = new FleetModel({ startMs: T0, seed: 5 });
    const b = new FleetModel({ startMs: T0, seed: 5 });
    a.step(T0 + 60_000);
    b.step(T0 + 60_000);
    const snap = (m: FleetModel) => [...m.participants.values()].map((p) => `${p.endpointId}@${p.bridge}`).join(",");
    expect(snap(a)).toBe(snap(b));
    expect(snap(a)).not.toBe(snap(new FleetModel({ startMs: T0, seed: 6 })));
  });

  it("gives demo participants ids that do not depend on the seed", () => {
    const ids = (seed: number) => [...new FleetModel({ startMs: T0, seed, population: false }).participants.keys()].sort().join();
    expect(ids(1)).toBe(ids(99));
    expect(ids(1)).toContain(BAD_NETWORK_TARGET.endpointId);
  });
});

describe("views", () => {
  it("formats current_timestamp like SimpleDateFormat(yyyy-MM-dd HH:mm:ss.SSS) in UTC", () => {
    expect(jvbTimestamp(Date.parse("2025-03-14T10:22:31.418Z"))).toBe("2025-03-14 10:22:31.418");
  });

  it("builds Jicofo's conference_sizes like the reference example", () => {
    const s = conferenceSizes([2, 4, 6, 11]);
    expect(s).toMatchObject({ max: 11, min: 0, total_value: 23, total_count: 4, discarded: 0 });
    expect((s.average as { value: number }).value).toBe(5.75);
    expect(s.buckets).toEqual({
      "0_to_1": 0, "1_to_2": 0, "2_to_3": 1, "3_to_5": 1, "5_to_10": 1, "10_to_20": 1, "20_to_50": 0, "50_to_100": 0,
      "100_to_200": 0, "200_to_300": 0, "300_to_400": 0, "400_to_500": 0, "500_to_max": 0,
      p99_upper_bound: -1, p999_upper_bound: -1,
    });
    // strictly more than 99 % of the samples at or below the bound (upstream Buckets.snapshot)
    const p99 = (sizes: number[]) => (conferenceSizes(sizes).buckets as Record<string, number>).p99_upper_bound;
    expect(p99(Array.from({ length: 200 }, (_, i) => (i < 199 ? 4 : 60)))).toBe(5);
    expect(p99(Array.from({ length: 200 }, (_, i) => (i < 198 ? 4 : 60)))).toBe(100);
  });
});
