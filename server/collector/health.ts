/**
 * A polled source's health, as plain data: when to poll next, and when it goes down or comes back.
 * Pure: the collector passes the outcome of each poll and the time.
 */

/** Failures in a row before a source is called down (one lost packet is not an outage). */
export const FAILURES_BEFORE_DOWN = 2;
export const MAX_BACKOFF_MS = 60_000;

export interface SourceHealth {
  status: "unknown" | "up" | "down";
  consecutiveFailures: number;
  nextPollAtMs: number;
  downSinceMs: number | null;
  lastError: string | null;
}

export type PollOutcome = { ok: true } | { ok: false; error: string };

export interface Transition {
  to: "up" | "down";
  reason: string | null;
}

export function initialHealth(nowMs: number): SourceHealth {
  return { status: "unknown", consecutiveFailures: 0, nextPollAtMs: nowMs, downSinceMs: null, lastError: null };
}

/** Next poll: every interval while healthy; after failures, interval × 2^(n−1), at most a minute. */
export function backoffMs(consecutiveFailures: number, intervalMs: number): number {
  if (consecutiveFailures === 0) return intervalMs;
  return Math.min(intervalMs * 2 ** (consecutiveFailures - 1), Math.max(MAX_BACKOFF_MS, intervalMs));
}

export function afterPoll(prev: SourceHealth, outcome: PollOutcome, nowMs: number, intervalMs: number): { next: SourceHealth; transition: Transition | null } {
  if (outcome.ok) {
    const next: SourceHealth = { status: "up", consecutiveFailures: 0, nextPollAtMs: nowMs + intervalMs, downSinceMs: null, lastError: prev.lastError };
    return { next, transition: prev.status === "up" ? null : { to: "up", reason: prev.status === "down" ? `recovered after ${Math.round((nowMs - (prev.downSinceMs ?? nowMs)) / 1000)} s down` : null } };
  }
  const failures = prev.consecutiveFailures + 1;
  const goesDown = prev.status !== "down" && failures >= FAILURES_BEFORE_DOWN;
  const next: SourceHealth = {
    status: goesDown ? "down" : prev.status,
    consecutiveFailures: failures,
    nextPollAtMs: nowMs + backoffMs(failures, intervalMs),
    downSinceMs: goesDown ? nowMs : prev.downSinceMs,
    lastError: outcome.error,
  };
  return { next, transition: goesDown ? { to: "down", reason: outcome.error } : null };
}
