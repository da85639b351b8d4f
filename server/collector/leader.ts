import pg from "pg";

/**
 * Leader election for the background loops: with several replicas on one PostgreSQL, the replica holding a
 * session-level advisory lock runs them. The lock lives as long as its connection: if the leader dies, its
 * connection closes, PostgreSQL releases the lock, and a follower's next attempt (every few seconds) wins.
 * With PGlite there is one process by construction, so it always leads.
 */

const LOCK_KEY = 0x4d53_4350; // "MSCP"

export interface LeaderCallbacks {
  onElected: () => Promise<void>;
  onDemoted: () => Promise<void>;
  log?: (message: string) => void;
}

export class LeaderElector {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly callbacks: LeaderCallbacks,
    private readonly retryMs = 5000,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    if (this.databaseUrl.startsWith("pglite:")) {
      this.leading = true;
      await this.callbacks.onElected();
      return;
    }
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.retryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.leading) await this.demote();
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  /** As a follower: try to take the lock. As the leader: check the connection still holds it. */
  private async attempt(): Promise<void> {
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "meetscope-leader", keepAlive: true });
        client.on("error", () => void this.lost("connection error"));
        await client.connect();
        this.client = client;
      }
      if (this.leading) {
        await this.client.query("SELECT 1");
        return;
      }
      const { rows } = await this.client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [LOCK_KEY]);
      if (rows[0]?.locked && !this.stopped) {
        this.leading = true;
        this.callbacks.log?.(`elected leader (pid ${process.pid})`);
        await this.callbacks.onElected();
      }
    } catch (error) {
      await this.lost(error instanceof Error ? error.message : String(error));
    }
  }

  private async lost(reason: string): Promise<void> {
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
    if (this.leading) {
      this.callbacks.log?.(`lost leadership: ${reason}`);
      await this.demote();
    }
  }

  private async demote(): Promise<void> {
    this.leading = false;
    await this.callbacks.onDemoted();
  }
}
