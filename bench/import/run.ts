/**
 * The store import benchmark alone: `npx tsx bench/import/run.ts [--quick]` runs the import files
 * (the documented maxima, or small ones with --quick) in a child process against DynamoDB Local
 * and prints the rows as JSON. `npm run bench` runs the same stage and records it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runChild } from "../child-process.ts";
import { loadAverage } from "../machine.ts";
import type { ImportChildOptions, ImportChildResult } from "./child.ts";
import { type ImportFileSpec, LIMIT_FILES, QUICK_FILES } from "./workload.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** Runs the import files in a fresh process (its own DynamoDB Local) and returns the rows. */
export async function measureImports(options: {
  seed: number;
  files: ImportFileSpec[];
  timeoutMs?: number;
}): Promise<ImportChildResult & { loadAverageStart: number; loadAverageEnd: number }> {
  const work = mkdtempSync(join(tmpdir(), "footfall-bench-import-"));
  const loadAverageStart = loadAverage();
  try {
    const args: ImportChildOptions = {
      seed: options.seed,
      files: options.files,
      outFile: join(work, "import.json"),
    };
    const result = await runChild<ImportChildResult>({
      root: ROOT,
      script: "bench/import/child.ts",
      args,
      timeoutMs: options.timeoutMs ?? 30 * 60_000,
    });
    return { ...result, loadAverageStart, loadAverageEnd: loadAverage() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const quick = process.argv.includes("--quick");
  const result = await measureImports({
    seed: 20_261_124,
    files: quick ? QUICK_FILES : LIMIT_FILES,
  });
  console.log(JSON.stringify(result, null, 2));
}
