import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * PGlite allows one process per data folder. `npm start` records its pid here while it runs so that command-line
 * tools (npm run token, npm run db:migrate) can refuse to open the folder behind its back.
 */
const lockFile = (dataDir: string) => path.join(dataDir, "server.pid");

export function holdPgliteFolder(dataDir: string): () => void {
  writeFileSync(lockFile(dataDir), String(process.pid));
  return () => rmSync(lockFile(dataDir), { force: true });
}

/** The pid of a running Meetscope that holds the folder, or null. */
export function pgliteFolderHolder(dataDir: string): number | null {
  if (!existsSync(lockFile(dataDir))) return null;
  const pid = Number(readFileSync(lockFile(dataDir), "utf8"));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return pid;
  } catch {
    return null;
  }
}
