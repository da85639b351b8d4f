import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { connectLiveBus, publish } from "@/server/live/bus";
import { TEST_PG_URL } from "./db";

/** Live events reach other replicas through NOTIFY, whose payload PostgreSQL caps at 8,000 bytes. */
describe.skipIf(!TEST_PG_URL)("live events across replicas", () => {
  const listener = new pg.Client({ connectionString: TEST_PG_URL });
  afterAll(() => listener.end());

  it("a batch touching 1,000 meetings reaches another replica whole, in payloads PostgreSQL accepts", async () => {
    await connectLiveBus(TEST_PG_URL!, () => {});
    await listener.connect();
    await listener.query("LISTEN meetscope_live");
    const received: string[] = [];
    listener.on("notification", (m) => {
      expect(Buffer.byteLength(m.payload ?? "")).toBeLessThan(8000);
      received.push(...(JSON.parse(m.payload!) as { event: { meetingIds: string[] } }).event.meetingIds);
    });
    const meetingIds = Array.from({ length: 1000 }, () => crypto.randomUUID());
    publish({ type: "samples", meetingIds });
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(1000);
    expect(received.sort()).toEqual([...meetingIds].sort());
  });
});
