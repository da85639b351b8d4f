import type { BridgeStatus } from "../db/generated/client";
import type { JicofoBridge, JvbStats } from "../jitsi/types";

/** A bridge's status and why, from what it says about itself (pure). */
export function statusFromStats(stats: JvbStats): { status: BridgeStatus; reason: string | null } {
  if (stats.shuttingDown) return { status: "SHUTTING_DOWN", reason: "shutting down: Jicofo is moving its participants off" };
  if (stats.gracefulShutdown) return { status: "SHUTTING_DOWN", reason: "graceful shutdown: no new conferences, exits when empty" };
  if (stats.healthy === false) return { status: "DOWN", reason: "the bridge reports itself unhealthy" };
  if (stats.drain) return { status: "DRAINING", reason: "drain mode: Jicofo sends new conferences elsewhere" };
  return { status: "UP", reason: null };
}

/** The same from Jicofo's bridge selector, for bridges Meetscope has no REST URL for. */
export function statusFromJicofo(bridge: JicofoBridge): { status: BridgeStatus; reason: string | null } {
  if (bridge.shuttingDown) return { status: "SHUTTING_DOWN", reason: "Jicofo: shutting down" };
  if (bridge.gracefulShutdown) return { status: "SHUTTING_DOWN", reason: "Jicofo: graceful shutdown" };
  if (!bridge.operational) return { status: "DOWN", reason: "Jicofo: not operational" };
  if (!bridge.healthy) return { status: "DOWN", reason: "Jicofo: failing health checks" };
  if (bridge.drain) return { status: "DRAINING", reason: "Jicofo: drain mode" };
  return { status: "UP", reason: "known from Jicofo only: add its REST URL (JVB_URLS) for its figures" };
}

/** The name a JVB source's bridge gets when no Jicofo nickname is configured: host:port of its URL. */
export function defaultBridgeName(url: string): string {
  return new URL(url).host;
}
