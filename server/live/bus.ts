import { EventEmitter, on } from "node:events";
import pg from "pg";
import { z } from "zod";

/**
 * Live events inside one process (an EventEmitter), and across replicas through PostgreSQL LISTEN/NOTIFY: a
 * sample posted to one replica reaches pages open on another. With PGlite there is one process, so the
 * local emitter is the whole story.
 */

export const liveEventSchema = z.discriminatedUnion("type", [
  /** new participant samples or events for these meetings */
  z.object({ type: z.literal("samples"), meetingIds: z.array(z.string()).max(1000) }),
  /** a new performance report */
  z.object({ type: z.literal("report"), meetingId: z.string() }),
  /** new bridge figures or status */
  z.object({ type: z.literal("bridges") }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

const CHANNEL = "meetscope_live";
const origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;

// On globalThis, not in module scope: Next.js bundles instrumentation (the background loops) and the route
// handlers separately, and both must share one bus.
const globalBus = globalThis as unknown as { meetscopeBus?: EventEmitter; meetscopeListener?: pg.Client | null; meetscopeNotifyPool?: pg.Pool };
const emitter = (globalBus.meetscopeBus ??= new EventEmitter().setMaxListeners(0));

/** Called once at start: on PostgreSQL, relays events between replicas. */
export async function connectLiveBus(databaseUrl: string, log: (m: string) => void): Promise<void> {
  if (databaseUrl.startsWith("pglite:") || globalBus.meetscopeListener !== undefined) return;
  globalBus.meetscopeListener = null;
  globalBus.meetscopeNotifyPool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: "meetscope-live" });
  const listen = async () => {
    try {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: "meetscope-live-listen" });
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      client.on("notification", (message) => {
        try {
          const { from, event } = JSON.parse(message.payload ?? "{}") as { from?: string; event?: unknown };
          if (from === origin) return; // our own, already delivered locally
          const parsed = liveEventSchema.safeParse(event);
          if (parsed.success) emitter.emit("event", parsed.data);
        } catch {
          // a malformed payload from elsewhere is not ours to crash on
        }
      });
      client.on("error", () => {
        globalBus.meetscopeListener = null;
        client.end().catch(() => undefined);
        setTimeout(() => void listen(), 2000);
      });
      globalBus.meetscopeListener = client;
    } catch (error) {
      log(`live events: LISTEN failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      setTimeout(() => void listen(), 2000);
    }
  };
  await listen();
}

/** NOTIFY payloads must stay under 8,000 bytes: a batch's meeting ids travel in chunks of this many. */
const MEETING_IDS_PER_NOTIFY = 100;

export function publish(event: LiveEvent): void {
  emitter.emit("event", event);
  const notifyPool = globalBus.meetscopeNotifyPool;
  if (!notifyPool) return;
  const parts: LiveEvent[] = [];
  if (event.type === "samples") {
    for (let i = 0; i < event.meetingIds.length; i += MEETING_IDS_PER_NOTIFY) parts.push({ type: "samples", meetingIds: event.meetingIds.slice(i, i + MEETING_IDS_PER_NOTIFY) });
  } else {
    parts.push(event);
  }
  for (const part of parts) {
    void notifyPool.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ from: origin, event: part })]).catch(() => undefined);
  }
}

/** Live events until the signal aborts (a subscription's lifetime). */
export async function* liveEvents(signal: AbortSignal | undefined): AsyncGenerator<LiveEvent> {
  try {
    for await (const [event] of on(emitter, "event", { signal })) yield event as LiveEvent;
  } catch (error) {
    if ((error as { name?: string }).name !== "AbortError") throw error;
  }
}

/** In-process subscription, for the background loops (e.g. analysis on new samples). */
export function onLiveEvent(listener: (event: LiveEvent) => void): () => void {
  emitter.on("event", listener);
  return () => emitter.off("event", listener);
}
