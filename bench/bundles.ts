/**
 * Section 5: minified size of each function bundle. Reuses the infra bundle-size report
 * (cdk.out/bundle-sizes.json, written by the infra tests from the real CDK assets) when it is
 * newer than every source it depends on; otherwise bundles each functions/*.ts with esbuild
 * using the same settings as the CDK functions (ESM, node24, minified, AWS SDK bundled).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { functionBuildOptions } from "../infra/bundle-settings.ts";

/** Sizes and where they came from. */
export interface BundleSizes {
  kb: Record<string, number>;
  source: string;
  /** Per-function budgets from the infra report, when it was used. */
  budgetsKb?: Record<string, number>;
  /** Functions esbuild could not bundle (a source being edited, say), with the first error line. */
  errors?: Record<string, string>;
  wallMs: number;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Function names: one per functions/*.ts. */
export function functionNames(root: string): string[] {
  return readdirSync(join(root, "functions"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The infra report if it covers every function and is newer than the code it measured. */
function freshReport(root: string, names: string[]): BundleSizes | undefined {
  const path = join(root, "cdk.out", "bundle-sizes.json");
  if (!existsSync(path)) return undefined;
  const reportTime = statSync(path).mtimeMs;
  const sources = Math.max(
    newestMtime(join(root, "functions")),
    newestMtime(join(root, "shared")),
    statSync(join(root, "package-lock.json")).mtimeMs,
  );
  if (reportTime < sources) return undefined;
  const rows = JSON.parse(readFileSync(path, "utf8")) as {
    fn: string;
    kb: number;
    budgetKb?: number;
  }[];
  const kb: Record<string, number> = {};
  const budgetsKb: Record<string, number> = {};
  for (const r of rows) {
    kb[r.fn] = r.kb;
    if (r.budgetKb !== undefined) budgetsKb[r.fn] = r.budgetKb;
  }
  if (!names.every((n) => kb[n] !== undefined)) return undefined;
  return {
    kb,
    budgetsKb,
    source: `${relative(root, path)} (infra bundle-size report, ${new Date(reportTime).toISOString()})`,
    wallMs: 0,
  };
}

/** Bundles one entry in memory and returns the size of its code in KB (source map excluded). */
async function bundleKb(root: string, name: string): Promise<number> {
  const result = await build({
    ...functionBuildOptions(root, name),
    write: false,
    outfile: join(root, "cdk.out", "bench-bundle", `${name}.mjs`),
  });
  const code = result.outputFiles.find((f) => f.path.endsWith(".mjs"));
  if (!code) throw new Error(`esbuild produced no code for ${name}`);
  return Math.round((code.contents.byteLength / 1024) * 10) / 10;
}

/** Functions on the ping path, bundled by a quick run when no fresh report exists. */
export const HOT_PATH = ["device-authorizer", "ping-ingest"];

/**
 * Bundle sizes from the fresh infra report, or from esbuild now: every function, or only the
 * hot path (`scope` "hot-path", for smoke runs).
 */
export async function measureBundles(
  root: string,
  scope: "all" | "hot-path",
): Promise<BundleSizes> {
  const all = functionNames(root);
  const report = freshReport(root, all);
  if (report) return report;
  const names = scope === "all" ? all : HOT_PATH.filter((n) => all.includes(n));
  const started = performance.now();
  const kb: Record<string, number> = {};
  const errors: Record<string, string> = {};
  const queue = [...names];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let name = queue.shift(); name; name = queue.shift())
        try {
          kb[name] = await bundleKb(root, name);
        } catch (error) {
          errors[name] = (error as Error).message.split("\n")[0] ?? "build failed";
        }
    }),
  );
  return {
    kb: Object.fromEntries(Object.entries(kb).sort(([a], [b]) => a.localeCompare(b))),
    source:
      `esbuild in this run (platform node, target node24, ESM, minified, AWS SDK bundled` +
      `${scope === "all" ? "" : "; ping path only"})`,
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
    wallMs: performance.now() - started,
  };
}
