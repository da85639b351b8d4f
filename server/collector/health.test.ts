import { describe, expect, it } from "vitest";
import { afterPoll, backoffMs, FAILURES_BEFORE_DOWN, initialHealth, type PollOutcome } from "./health";

const ok: PollOutcome = { ok: true };
const fail = (error = "timeout after 2500 ms"): PollOutcome => ({ ok: false, error });

function run(outcomes: PollOutcome[], intervalMs = 5000) {
  let health = initialHealth(0);
  let now = 0;
  const transitions: Array<{ at: number; to: string; reason: string | null }> = [];
  for (const outcome of outcomes) {
    now = health.nextPollAtMs;
    const { next, transition } = afterPoll(health, outcome, now, intervalMs);
    if (transition) transitions.push({ at: now, ...transition });
    health = next;
  }
  return { health, transitions };
}

describe("source health", () => {
  it("a first success marks the source up", () => {
    expect(run([ok]).transitions).toEqual([{ at: 0, to: "up", reason: null }]);
  });

  it(`goes down after ${FAILURES_BEFORE_DOWN} failures in a row, with the error as the reason, and backs off`, () => {
    const { health, transitions } = run([ok, fail(), fail("connection refused"), fail()]);
    expect(transitions.map((t) => t.to)).toEqual(["up", "down"]);
    expect(transitions[1]!.reason).toBe("connection refused");
    expect(health.status).toBe("down");
    expect(health.consecutiveFailures).toBe(3);
    expect(health.nextPollAtMs - transitions[1]!.at).toBe(5000 * 2 + 5000 * 4); // 10 s then 20 s after the down poll
  });

  it("one failure between successes is no outage", () => {
    expect(run([ok, fail(), ok, fail(), ok]).transitions.map((t) => t.to)).toEqual(["up"]);
  });

  it("records the recovery with how long it was down", () => {
    const { transitions } = run([ok, fail(), fail(), ok]);
    expect(transitions.at(-1)).toMatchObject({ to: "up", reason: "recovered after 10 s down" });
  });

  it("a flapping source records each transition", () => {
    const { transitions } = run([ok, fail(), fail(), ok, fail(), fail(), ok]);
    expect(transitions.map((t) => t.to)).toEqual(["up", "down", "up", "down", "up"]);
  });

  it("backoff doubles and stops at a minute", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, 5000))).toEqual([5000, 5000, 10000, 20000, 40000, 60000, 60000]);
  });
});
