/**
 * Runs a bench stage in its own Node process (fresh heap, `--expose-gc`, its own module state)
 * and reads back the JSON it writes. The child's standard error is passed through as progress.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Runs `script` (relative to the repo root) with one JSON argument; resolves with its result. */
export async function runChild<T>(options: {
  root: string;
  script: string;
  args: object & { outFile: string };
  nodeFlags?: string[];
  timeoutMs: number;
}): Promise<T> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      "--import",
      "tsx",
      join(options.root, options.script),
      JSON.stringify(options.args),
    ],
    { cwd: options.root, stdio: ["ignore", "ignore", "inherit"], env: process.env },
  );
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`${options.script} exited with ${code}`);
  } finally {
    clearTimeout(timer);
  }
  return JSON.parse(readFileSync(options.args.outFile, "utf8")) as T;
}
