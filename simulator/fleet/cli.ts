/**
 * npm run simulator -- --scenario NAME [--bridges N] [--base-port P] [--seed S] [--tick-ms MS]
 *                      [--ingest-url URL --token T [--ingest-interval-ms MS]]
 *
 * Starts the simulated fleet and prints the lines to paste into Meetscope's environment. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startFleet } from "./fleet";
import { isScenarioName, SCENARIO_DESCRIPTIONS, SCENARIO_NAMES } from "./model";

const USAGE = `usage: npm run simulator -- --scenario NAME [--bridges N] [--base-port P] [--seed S] [--tick-ms MS]
                            [--ingest-url URL --token T [--ingest-interval-ms MS]]
scenarios:
${SCENARIO_NAMES.map((n) => `  ${n.padEnd(15)} ${SCENARIO_DESCRIPTIONS[n]}`).join("\n")}
--base-port P: jvbN on P+N-1, Jicofo on P-1, control API on P-2 (default 9100; 0 = ephemeral ports)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        scenario: { type: "string", default: "steady-day" },
        bridges: { type: "string" },
        "base-port": { type: "string" },
        seed: { type: "string" },
        "tick-ms": { type: "string" },
        "ingest-url": { type: "string" },
        token: { type: "string" },
        "ingest-interval-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const scenario = v.scenario ?? "steady-day";
  if (!isScenarioName(scenario)) fail(`unknown scenario "${scenario}"; choose one of: ${SCENARIO_NAMES.join(", ")}`);
  const bridges = intOption("bridges", v.bridges, 3, 1, 5_000);
  const basePort = intOption("base-port", v["base-port"], 9100, 0, 65_535);
  if (basePort > 0 && (basePort < 3 || basePort + bridges - 1 > 65_535)) fail(`--base-port ${basePort} leaves no room for ${bridges} bridges, Jicofo and the control API`);
  const seed = intOption("seed", v.seed, 1, 0, 2 ** 32 - 1);
  const tickMs = intOption("tick-ms", v["tick-ms"], 2_000, 100, 60_000);
  if ((v["ingest-url"] === undefined) !== (v.token === undefined)) fail("--ingest-url and --token go together");
  const ingest =
    v["ingest-url"] !== undefined && v.token !== undefined
      ? { url: v["ingest-url"], token: v.token, intervalMs: intOption("ingest-interval-ms", v["ingest-interval-ms"], 10_000, 1_000, 600_000) }
      : undefined;

  const fleet = await startFleet({ scenario, bridges, basePort, seed, tickMs, ingest });
  const out = [
    `Simulated Jitsi fleet: scenario ${scenario} (${SCENARIO_DESCRIPTIONS[scenario]}), ${bridges} bridges, seed ${seed}`,
    `JVB_URLS=${fleet.jvbUrlsEnv}`,
    `JICOFO_URLS=${fleet.jicofoUrl}`,
    `control API: ${fleet.controlUrl}/control/state`,
    ingest ? `reporting client samples to ${ingest.url}/api/v1/ingest every ${ingest.intervalMs} ms` : "client samples: off (--ingest-url URL --token T)",
    "Ctrl-C stops.",
  ];
  process.stdout.write(`${out.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the fleet\n`);
    fleet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  process.stderr.write(`simulator: ${e.code === "EADDRINUSE" ? `port in use (${e.message}); try another --base-port` : String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
