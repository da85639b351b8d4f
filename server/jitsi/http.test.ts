import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import colibriStats from "./fixtures/jvb-colibri-stats.json";
import { requestText } from "./http";
import { createJicofoClient } from "./jicofo";
import { createJvbClient, JVB_DISABLED_HINTS } from "./jvb";
import { closedPort, routes, sendJson, sendText, sourceErrorOf, startServer, type Handler, type TestServer } from "./test-server";

/** Faults over real loopback sockets: what each failure turns into, and that keep-alive sockets survive them. */

let server: TestServer | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function jvbServing(handler: Handler, timeoutMs = 2000) {
  server = await startServer(handler);
  return { server, jvb: createJvbClient(server.url, { timeoutMs }) };
}

const BAD_GATEWAY_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.24.0</center>
</body>
</html>`;

describe("HTTP failures", () => {
  it('404 from a disabled REST group → "disabled" with the hint', async () => {
    const { jvb } = await jvbServing((_req, res) => sendText(res, 404, ""));
    const err = await sourceErrorOf(jvb.stats());
    expect(err).toMatchObject({ kind: "disabled", httpStatus: 404 });
    expect(err.message).toContain(JVB_DISABLED_HINTS.colibri);
  });

  it('404 where no REST group is implied → "http"', async () => {
    server = await startServer((_req, res) => sendText(res, 404, "Not Found"));
    const jicofo = createJicofoClient(server.url, { timeoutMs: 2000 });
    const err = await sourceErrorOf(jicofo.stats());
    expect(err).toMatchObject({ kind: "http", httpStatus: 404 });
  });

  it('an HTML 502 page from a proxy → "http" with the status and the start of the page', async () => {
    const { jvb } = await jvbServing((_req, res) => sendText(res, 502, BAD_GATEWAY_PAGE, "text/html"));
    const err = await sourceErrorOf(jvb.stats());
    expect(err).toMatchObject({ kind: "http", httpStatus: 502 });
    expect(err.message).toContain("HTTP 502");
    expect(err.message).toContain("<head><title>502 Bad Gateway</title></head>");
  });

  it("keeps only about 200 characters of a long error body", async () => {
    const { jvb } = await jvbServing((_req, res) => sendText(res, 500, `Internal error ${"x".repeat(5000)}`));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("http");
    expect(err.message.length).toBeLessThan(400);
  });

  it('200 with an HTML body → "invalid"', async () => {
    const { jvb } = await jvbServing((_req, res) => sendText(res, 200, "<!DOCTYPE html><html><body>Login</body></html>", "text/html"));
    const err = await sourceErrorOf(jvb.stats());
    expect(err).toMatchObject({ kind: "invalid", httpStatus: 200 });
    expect(err.message).toContain("expected JSON");
    expect(err.message).toContain("text/html");
  });

  it('200 with an empty body where JSON is expected → "invalid"', async () => {
    const { jvb } = await jvbServing((_req, res) => sendText(res, 200, ""));
    const err = await sourceErrorOf(jvb.version());
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("empty body");
  });

  it('200 with JSON missing stress_level → "invalid" naming stress_level', async () => {
    const { stress_level: _s, ...withoutStress } = colibriStats;
    const { jvb } = await jvbServing((_req, res) => sendJson(res, 200, withoutStress));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("stress_level: missing (expected number)");
  });

  it('200 with a wrongly typed field → "invalid" naming it', async () => {
    const { jvb } = await jvbServing((_req, res) => sendJson(res, 200, { ...colibriStats, conferences: "4", drain: "false" }));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("invalid");
    expect(err.message).toMatch(/conferences: .*expected number/);
    expect(err.message).toMatch(/drain: .*expected boolean/);
  });

  it('a body larger than the cap → "invalid" without reading it all', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { padding: "x".repeat(64 * 1024) }));
    const err = await sourceErrorOf(requestText(`${server.url}/colibri/stats`, { timeoutMs: 2000, maxBodyBytes: 16 * 1024 }));
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("larger than 16384 bytes");
  });
});

describe("network failures", () => {
  it('a server slower than the timeout → "timeout", returning soon after the deadline', async () => {
    const timeoutMs = 300;
    const { jvb } = await jvbServing(() => {
      // never answers
    }, timeoutMs);
    const started = performance.now();
    const err = await sourceErrorOf(jvb.stats());
    const elapsedMs = performance.now() - started;
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("300 ms");
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 20);
    expect(elapsedMs).toBeLessThan(timeoutMs + 400);
  });

  it('a body that stalls after the headers → "timeout" too (the deadline covers the body)', async () => {
    const timeoutMs = 300;
    const { jvb } = await jvbServing((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 5000 });
      res.write('{"stress_level":0.2,');
    }, timeoutMs);
    const started = performance.now();
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(timeoutMs + 400);
  });

  it('a closed port → "unreachable"', async () => {
    const port = await closedPort();
    const jvb = createJvbClient(`http://127.0.0.1:${port}`, { timeoutMs: 2000 });
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("unreachable");
    expect(err.message).toContain("connection refused");
  });

  it('a connection reset mid-response → "unreachable"', async () => {
    const { jvb } = await jvbServing((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 5000 });
      res.write('{"stress_level":0.2,', () => res.socket?.resetAndDestroy());
    });
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("unreachable");
    expect(err.message).toMatch(/closed or reset/);
  });

  it('a connection closed before any response → "unreachable"', async () => {
    const { jvb } = await jvbServing((_req, res) => res.socket?.destroy());
    const err = await sourceErrorOf(jvb.health());
    expect(err.kind).toBe("unreachable");
  });
});

describe("keep-alive", () => {
  it("reuses one connection across successes and error answers with a keep-alive Agent", async () => {
    const agent = new Agent({ keepAliveTimeout: 10_000 });
    cleanups.push(() => agent.close());
    server = await startServer(
      routes({
        "/colibri/stats": (_req, res) => sendJson(res, 200, colibriStats),
        "/about/health": (_req, res) => sendText(res, 503, "Soft failure"),
        "/debug": (_req, res) => sendText(res, 502, BAD_GATEWAY_PAGE, "text/html"),
        "/about/version": (_req, res) => sendText(res, 200, "<html>not json</html>", "text/html"),
      }),
    );
    const jvb = createJvbClient(server.url, { dispatcher: agent, timeoutMs: 2000 });

    // undici hands a socket back to the pool on a later tick; back-to-back calls in one tick would open a second
    // one. A real poller's calls are seconds apart, so a macrotask between calls is the honest model.
    const nextTick = () => new Promise((resolve) => setImmediate(resolve));
    for (let round = 0; round < 3; round++) {
      await jvb.stats();
      await nextTick();
      expect((await jvb.health()).failure).toBe("soft");
      await nextTick();
      expect((await sourceErrorOf(jvb.debug())).kind).toBe("http");
      await nextTick();
      expect((await sourceErrorOf(jvb.version())).kind).toBe("invalid");
      await nextTick();
      expect((await sourceErrorOf(jvb.drainState())).kind).toBe("disabled");
      await nextTick();
    }
    expect(server.requests).toHaveLength(15);
    expect(server.connections()).toBe(1);
  });
});
