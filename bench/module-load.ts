/**
 * Module-load time of each function bundle, as Lambda loads it: the bundle built with the
 * deployed esbuild settings (ESM, node24, minified, source map beside it, the credential alias),
 * then imported in a fresh Node process with the deployed `NODE_OPTIONS` (`--enable-source-maps`),
 * ten times per function; the median is reported. A second series without source maps (every
 * function in a full run, the hot path in a quick one) shows what the flag costs at load.
 *
 * Measured: `import()` of the bundle inside the process (Node's own start-up excluded), up to
 * the end of the module's top-level code. The environment holds a region and dummy credentials
 * only, so a handler whose config check runs at load stops there (`configChecked: false`): the
 * time then covers every dependency and the handler's code up to that check.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { functionBuildOptions } from "../infra/bundle-settings.ts";
import { functionNames } from "./bundles.ts";

/** One function's load figures. */
export interface ModuleLoadRow {
  fn: string;
  kb: number;
  sourceMapKb: number;
  /** Median of `runs` imports with --enable-source-maps (the deployed flag), ms. */
  medianMs: number;
  /** Median without --enable-source-maps (the functions in `hotPath`), ms. */
  medianNoSourceMapsMs?: number;
  /** Whether the handler's top-level code ran to the end (false: stopped at its config check). */
  configChecked: boolean;
  runs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function loadOnce(file: string, sourceMaps: boolean): { ms: number; ok: boolean } {
  const script = `const t0 = performance.now(); let ok = true;
try { await import(${JSON.stringify(pathToFileURL(file).href)}); } catch { ok = false; }
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, ok }));
process.exit(0);`;
  const out = spawnSync(
    process.execPath,
    [...(sourceMaps ? ["--enable-source-maps"] : []), "--input-type=module", "-e", script],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
      },
    },
  );
  const line = out.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as { ms: number; ok: boolean };
}

/** Builds every function as deployed and times its module load (median of `runs`). */
export async function measureModuleLoad(
  root: string,
  options: { runs?: number; hotPath?: string[]; only?: string[] } = {},
): Promise<ModuleLoadRow[]> {
  const runs = options.runs ?? 10;
  const hot = new Set(options.hotPath ?? ["device-authorizer", "ping-ingest"]);
  const dir = mkdtempSync(join(tmpdir(), "footfall-module-load-"));
  try {
    const rows: ModuleLoadRow[] = [];
    for (const fn of options.only ?? functionNames(root)) {
      const outfile = join(dir, fn, "index.mjs");
      await build({
        ...functionBuildOptions(root, fn),
        sourcemap: true,
        sourcesContent: false,
        outfile,
      });
      const withMaps = Array.from({ length: runs }, () => loadOnce(outfile, true));
      const row: ModuleLoadRow = {
        fn,
        kb: Math.round((statSync(outfile).size / 1024) * 10) / 10,
        sourceMapKb: Math.round((statSync(`${outfile}.map`).size / 1024) * 10) / 10,
        medianMs: Math.round(median(withMaps.map((r) => r.ms)) * 10) / 10,
        configChecked: withMaps.every((r) => r.ok),
        runs,
      };
      if (hot.has(fn)) {
        const without = Array.from({ length: runs }, () => loadOnce(outfile, false));
        row.medianNoSourceMapsMs = Math.round(median(without.map((r) => r.ms)) * 10) / 10;
      }
      rows.push(row);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
