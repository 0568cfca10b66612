/**
 * `npm run bench`: the matcher, ingest, index, cost and bundle benchmarks of issue 8 in one run,
 * written to bench/results.json and BENCHMARKS.md. `--quick` is a smoke run of a few tens of
 * seconds (small sizes; written to a temporary directory unless `--out` says otherwise).
 *
 * Options: --quick, --out=<dir>, --sizes=1000,10000, --cover-budget-s=<s>, --seed=<n>,
 * --covers-dir=<dir> (keep covers there and reuse them in later runs with the same seed; a full
 * run keeps them in .footfall/bench-covers by default and extends them up to its cover budget),
 * --skip-ingest, --skip-import, --skip-bundles, --skip-postgis (the PostGIS stage also skips
 * itself, with the reason, when PostgreSQL 15 or PostGIS is not installed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BundleSizes, HOT_PATH, measureBundles } from "./bundles.ts";
import { runChild } from "./child-process.ts";
import { CITIES } from "./cities.ts";
import {
  type CostEstimate,
  costPerMillionPings,
  type FunctionMemory,
  ONE_VCPU_MB,
  PRICES,
} from "./cost.ts";
import { GEOFENCE_MIX } from "./geofences.ts";
import { measureGeometryValidation } from "./geometry-validation.ts";
import type { ImportRow } from "./import/child.ts";
import { measureImports } from "./import/run.ts";
import { LIMIT_FILES, QUICK_FILES } from "./import/workload.ts";
import { indexShapes, measureShapeCover } from "./index-shapes.ts";
import type { IngestChildOptions, IngestChildResult } from "./ingest/child.ts";
import { PINGS_PER_BATCH } from "./ingest/workload.ts";
import { loadAverage, machineInfo } from "./machine.ts";
import type { MatcherChildOptions, MatcherChildResult } from "./matcher/child.ts";
import { computeCovers } from "./matcher/cover-store.ts";
import { type PostgisServer, startPostgis } from "./matcher/postgis.ts";
import { type ModuleLoadRow, measureModuleLoad } from "./module-load.ts";
import { renderReport } from "./report.ts";
import { type BenchResults, evaluateTargets } from "./results.ts";

/** Repository root (bench/ is one level below). */
export const ROOT = resolve(import.meta.dirname, "..");

/** What to run. */
export interface BenchOptions {
  quick: boolean;
  /** Directory for results.json and BENCHMARKS.md; default: bench/ and the repo root (full) or a temp dir (quick). */
  outDir?: string;
  sizes?: number[];
  coverBudgetS?: number;
  /** Keep covers in this directory and reuse them in later runs with the same seed. */
  coversDir?: string;
  seed?: number;
  skipIngest?: boolean;
  skipImport?: boolean;
  skipBundles?: boolean;
  /** Leave out the optional PostGIS stage. */
  skipPostgis?: boolean;
  log?: (line: string) => void;
}

/** Where the run wrote its files. */
export interface BenchOutput {
  results: BenchResults;
  resultsPath: string;
  reportPath: string;
}

const PROFILES = {
  full: {
    sizes: [1_000, 10_000, 100_000, 1_000_000],
    coverBudgetS: 200,
    pings: 50_000,
    passes: 3,
    referencePings: 2_000,
    turfPings: 300,
    ingest: { stores: 24, devices: 16, batches: 5 },
    http: { concurrencies: [1, 4, 16], seconds: 10, warmupSeconds: 2 },
  },
  quick: {
    sizes: [500],
    coverBudgetS: 60,
    pings: 4_000,
    passes: 3,
    referencePings: 500,
    turfPings: 100,
    ingest: { stores: 6, devices: 2, batches: 2 },
    http: { concurrencies: [1, 4], seconds: 1, warmupSeconds: 0.5 },
  },
} as const;

const SHARES = [0.01, 0.05, 0.2];

/** Memory of ping-ingest and the authorizer from the infra specs (the defaults if unreadable). */
async function functionMemory(): Promise<FunctionMemory> {
  try {
    const { FUNCTION_SPECS } = (await import("../infra/function-specs.ts")) as {
      FUNCTION_SPECS: Record<string, { memoryMb?: number }>;
    };
    return {
      pingIngestMb: FUNCTION_SPECS["ping-ingest"]?.memoryMb ?? 512,
      authorizerMb: FUNCTION_SPECS["device-authorizer"]?.memoryMb ?? 512,
      source: "infra/function-specs.ts (512 MB where a spec sets none, the CDK default)",
    };
  } catch {
    return {
      pingIngestMb: 512,
      authorizerMb: 512,
      source: "assumed 512 MB (infra specs unreadable)",
    };
  }
}

/**
 * Functions that compute geofence covers: those flagged `computesCovers` in the infra specs
 * (only they may bundle h3-js). Every other function is held to 500 KB.
 */
async function coverFunctions(): Promise<string[]> {
  try {
    const { FUNCTION_SPECS } = (await import("../infra/function-specs.ts")) as {
      FUNCTION_SPECS: Record<string, { computesCovers?: boolean }>;
    };
    return Object.entries(FUNCTION_SPECS)
      .filter(([, spec]) => spec.computesCovers === true)
      .map(([fn]) => fn)
      .sort();
  } catch {
    return [];
  }
}

/** Runs every benchmark and writes results.json and BENCHMARKS.md. */
export async function runBench(options: BenchOptions): Promise<BenchOutput> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const profile = options.quick ? PROFILES.quick : PROFILES.full;
  const seed = options.seed ?? 20_261_124;
  const started = performance.now();
  const machine = machineInfo();
  const work = mkdtempSync(join(tmpdir(), "footfall-bench-"));
  try {
    // 1. Matcher: covers on every core within the budget, then one fresh process per size.
    const sizes = options.sizes ?? [...profile.sizes];
    const covers = await computeCovers({
      seed,
      sizes,
      budgetMs: (options.coverBudgetS ?? profile.coverBudgetS) * 1000,
      dir: join(work, "covers"),
      log,
      // Full runs keep their covers (gitignored) and the next run reuses and extends them.
      ...(options.coversDir || !options.quick
        ? { keepDir: options.coversDir ?? join(ROOT, ".footfall", "bench-covers") }
        : {}),
    });
    // A failing stage is recorded and the others still run; the command then exits non-zero.
    const failures: string[] = [];
    const failed = (stage: string, error: unknown) => {
      const message = `${stage}: ${(error as Error).message}`;
      failures.push(message);
      log(`FAILED ${message}`);
    };
    const matcher: MatcherChildResult[] = [];
    const pg: PostgisServer | { skipped: string } = options.skipPostgis
      ? { skipped: "--skip-postgis" }
      : startPostgis();
    if ("skipped" in pg) log(`postgis: skipped (${pg.skipped})`);
    else log(`postgis: ${pg.version}`);
    try {
      for (const size of covers.sizes) {
        log(`matcher: ${size.toLocaleString("en-US")} geofences`);
        const args: MatcherChildOptions = {
          size,
          seed,
          pings: profile.pings,
          coversDir: join(work, "covers"),
          bruteForce: size <= 10_000,
          naiveMap: size <= 100_000,
          referencePings: profile.referencePings,
          turfPings: profile.turfPings,
          passes: profile.passes,
          outFile: join(work, `matcher-${size}.json`),
          ...("skipped" in pg
            ? {}
            : { postgis: { socketDir: pg.socketDir, port: pg.port, version: pg.version } }),
        };
        try {
          matcher.push(
            await runChild<MatcherChildResult>({
              root: ROOT,
              script: "bench/matcher/child.ts",
              args,
              nodeFlags: [
                "--expose-gc",
                `--max-old-space-size=${size >= 1_000_000 ? 12_288 : 4_096}`,
              ],
              timeoutMs: 30 * 60_000,
            }),
          );
        } catch (error) {
          failed(`matcher ${size}`, error);
        }
      }
    } finally {
      if (!("skipped" in pg)) pg.stop();
    }

    // 2 and 3. Ingest against DynamoDB Local, with the index shapes written by the real adapter.
    let ingest: IngestChildResult | undefined;
    if (!options.skipIngest) {
      log("ingest: starting DynamoDB Local and fauxqs");
      const args: IngestChildOptions = {
        seed,
        ...profile.ingest,
        shares: SHARES,
        http: { ...profile.http, concurrencies: [...profile.http.concurrencies] },
        outFile: join(work, "ingest.json"),
      };
      try {
        ingest = await runChild<IngestChildResult>({
          root: ROOT,
          script: "bench/ingest/child.ts",
          args,
          timeoutMs: 20 * 60_000,
        });
      } catch (error) {
        failed("ingest", error);
      }
    }
    const index = ingest?.index ?? indexShapes().map((s) => measureShapeCover(s));

    // 3b. Geometry validation + cover of 1,000-vertex footprints (a store create's CPU).
    log("geometry validation");
    const geometry = measureGeometryValidation(options.quick ? 5 : 15);

    // 3c. Store import at the documented limits (or small files when quick).
    let imports: ImportRow[] | undefined;
    if (!options.skipImport) {
      log("store import: starting DynamoDB Local");
      try {
        imports = (await measureImports({ seed, files: options.quick ? QUICK_FILES : LIMIT_FILES }))
          .rows;
      } catch (error) {
        failed("import", error);
      }
    }

    // 5. Bundles.
    log("bundles");
    const bundles: BundleSizes = options.skipBundles
      ? { kb: {}, source: "skipped", wallMs: 0 }
      : await measureBundles(ROOT, options.quick ? "hot-path" : "all");

    // 5b. Module load, deployed flags, median of 10 for every function (3 on the hot path if
    // quick), and the same without --enable-source-maps for every function: what the deployed
    // source-map flag costs at load, function by function.
    log("module load");
    let moduleLoad: ModuleLoadRow[] = [];
    const covering = await coverFunctions();
    if (!options.skipBundles) {
      try {
        const all = Object.keys(bundles.kb);
        moduleLoad = await measureModuleLoad(ROOT, {
          runs: options.quick ? 3 : 10,
          only: options.quick ? HOT_PATH : all,
          hotPath: options.quick ? HOT_PATH : all,
        });
      } catch (error) {
        failed("module load", error);
      }
    }

    // 4. Cost, from the measured ingest figures.
    const memory = await functionMemory();
    const byScenario: CostEstimate[] = ingest
      ? ingest.ingest.map((row) => costPerMillionPings(row, memory, PINGS_PER_BATCH))
      : [];
    const headline =
      byScenario[
        ingest?.ingest.findIndex((i) => i.inZoneShare === 0.05 && i.cache === "warm") ?? -1
      ] ?? null;

    machine.loadAverageEnd = loadAverage();
    const partial: Omit<BenchResults, "targets"> = {
      machine,
      node: process.version,
      date: new Date().toISOString(),
      mode: options.quick ? "quick" : "full",
      seed,
      durationS: (performance.now() - started) / 1000,
      matcher,
      ingest: ingest?.ingest ?? [],
      index,
      geometry,
      ...(imports ? { import: imports } : {}),
      costPerMillionPingsUsd: headline ? headline.totalUsdPerMillionPings : null,
      bundlesKb: bundles.kb,
      details: {
        matcher: {
          skipped: covers.skipped.map((s) => ({ geofences: s.size, reason: s.reason })),
          covers,
          pings: profile.pings,
          passes: profile.passes,
          mix: { ...GEOFENCE_MIX },
          cities: CITIES.length,
          postgis: "skipped" in pg ? { skippedReason: pg.skipped } : { version: pg.version },
        },
        ingest: {
          setup: ingest?.setup ?? null,
          authorizer: ingest?.authorizer ?? null,
          ...(ingest?.http ? { http: ingest.http } : {}),
          ...(options.skipIngest
            ? { skippedReason: "--skip-ingest" }
            : ingest
              ? {}
              : { skippedReason: failures.find((f) => f.startsWith("ingest")) ?? "failed" }),
        },
        cost: {
          headline,
          byScenario,
          memory,
          prices: PRICES,
          assumptions: [
            `Memory: ping-ingest ${memory.pingIngestMb} MB, device authorizer ${memory.authorizerMb} MB (${memory.source}).`,
            `Billed duration = measured CPU ms × max(1, ${ONE_VCPU_MB} / memory MB) (Lambda's CPU share) + measured wait on DynamoDB Local, rounded up to 1 ms.`,
            "POST /v1/pings has no Lambda authorizer: ping-ingest verifies the device token and reads the profile in the same Query as the visit state, so each scenario's figures hold the whole device check (one invocation and no extra request per batch). The device authorizer serves the other device routes only.",
            "DynamoDB units are those counted in the run, per scenario; items read or written by the stream consumer (incentive publisher) are not included, nor its invocations (one per grant at most, a few thousandths of a dollar per million pings at these grant rates).",
            "Not included: data transfer out (responses of a few hundred bytes), Lambda platform log lines, storage, and free tiers.",
          ],
        },
        bundles: {
          source: bundles.source,
          ...(bundles.budgetsKb ? { budgetsKb: bundles.budgetsKb } : {}),
          ...(bundles.errors ? { errors: bundles.errors } : {}),
          wallMs: bundles.wallMs,
          targetKb: 500,
          moduleLoad,
          coverFunctions: covering,
        },
      },
    };
    const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };

    const outDir = options.outDir ? resolve(options.outDir) : undefined;
    const quickDir = join(tmpdir(), "footfall-bench-quick");
    const resultsPath = outDir
      ? join(outDir, "results.json")
      : options.quick
        ? join(quickDir, "results.json")
        : join(ROOT, "bench", "results.json");
    const reportPath = outDir
      ? join(outDir, "BENCHMARKS.md")
      : options.quick
        ? join(quickDir, "BENCHMARKS.md")
        : join(ROOT, "BENCHMARKS.md");
    mkdirSync(resolve(resultsPath, ".."), { recursive: true });
    mkdirSync(resolve(reportPath, ".."), { recursive: true });
    writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(reportPath, renderReport(results));
    log(`wrote ${resultsPath} and ${reportPath} in ${results.durationS.toFixed(0)} s`);
    if (failures.length > 0) throw new Error(`benchmark stages failed: ${failures.join("; ")}`);
    return { results, resultsPath, reportPath };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Parses the command line (see the file comment). */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const outIndex = argv.indexOf("--out");
  const sizes = value("sizes");
  const budget = value("cover-budget-s");
  const seed = value("seed");
  const out = value("out") ?? (outIndex >= 0 ? argv[outIndex + 1] : undefined);
  return {
    quick: argv.includes("--quick"),
    ...(out ? { outDir: out } : {}),
    ...(sizes ? { sizes: sizes.split(",").map(Number) } : {}),
    ...(budget ? { coverBudgetS: Number(budget) } : {}),
    ...(value("covers-dir") ? { coversDir: value("covers-dir") } : {}),
    ...(seed ? { seed: Number(seed) } : {}),
    skipIngest: argv.includes("--skip-ingest"),
    skipImport: argv.includes("--skip-import"),
    skipBundles: argv.includes("--skip-bundles"),
    skipPostgis: argv.includes("--skip-postgis"),
  };
}

if (import.meta.main) {
  await runBench(parseArgs(process.argv.slice(2)));
}
