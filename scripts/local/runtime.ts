import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const DATA_DIR = resolve(import.meta.dirname, "..", "..", ".footfall");

/**
 * The env of the running `npm start` (written to .footfall/runtime.json), or undefined. CLIs use
 * it to reach the local engines; with CATALOG_TABLE etc. already set they talk to AWS instead.
 */
export function runningLocalEnv(): Record<string, string> | undefined {
  const path = join(DATA_DIR, "runtime.json");
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { env: Record<string, string> }).env;
}
