import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as z from "zod";

const ROOT = resolve(import.meta.dirname, "../../..");
const num = z.number().finite();

/** The shape issue 8 asks of bench/results.json (more fields are allowed). */
const resultsSchema = z.object({
  machine: z.object({
    cpuModel: z.string().min(1),
    nproc: z.number().int().positive(),
    memoryGb: num,
  }),
  node: z.string().regex(/^v24\./),
  date: z.iso.datetime(),
  matcher: z
    .array(
      z.object({
        geofences: z.number().int().positive(),
        footfallUsPerPing: num.positive(),
        flatbushUsPerPing: num.positive(),
        bruteForceUsPerPing: num.positive().nullable(),
        footfallHeapBytesPerGeofence: num.positive(),
        // Shares of lookups or pings: a rate above 1 counts some queries twice.
        cache: z.object({
          coldHitRate: num.min(0).max(1),
          warmMemoHitRate: num.min(0).max(1),
        }),
        mismatches: z.literal(0),
      }),
    )
    .min(1),
  ingest: z
    .array(
      z.object({
        inZoneShare: z.union([z.literal(0.01), z.literal(0.05), z.literal(0.2)]),
        cache: z.enum(["cold", "warm"]),
        pingsPerSecond: num.positive(),
        p50Ms: num.nonnegative(),
        p99Ms: num.nonnegative(),
        dynamoRequestsPerPing: num.nonnegative(),
        snsPublishesPerPing: num.nonnegative(),
      }),
    )
    .length(6),
  index: z
    .array(
      z.object({
        shape: z.string(),
        items: z.number().int().positive(),
        buildMs: num.nonnegative(),
      }),
    )
    .length(4),
  geometry: z
    .array(
      z.object({
        shape: z.string(),
        vertices: z.literal(1000),
        validateMs: num.positive(),
        coverMs: num.positive(),
        totalMs: num.positive(),
        pairwiseKinksMs: num.positive(),
      }),
    )
    .length(2),
  import: z
    .array(
      z.object({
        file: z.string(),
        features: num.positive(),
        totalMs: num.positive(),
        dynamoRequests: num.positive(),
        check: z.object({
          status: z.literal("succeeded"),
          storesInTable: num.positive(),
          footprintHeads: num.positive(),
          pendingIndex: z.literal(0),
        }),
      }),
    )
    .length(2)
    .refine(
      (rows) => rows.every((r) => r.check.storesInTable === r.features),
      "an import left stores out",
    ),
  costPerMillionPingsUsd: num.positive(),
  details: z.object({
    ingest: z.object({
      // The HTTP load stage: every batch through the local server answered 202.
      http: z
        .array(
          z.object({
            concurrency: num.positive(),
            requests: num.positive(),
            pingsPerSecond: num.positive(),
            p50Ms: num.positive(),
            p99Ms: num.positive(),
            errors: z.literal(0),
          }),
        )
        .min(2),
    }),
  }),
  bundlesKb: z
    .record(z.string(), num.positive())
    .refine((kb) => Object.keys(kb).length > 0, "no bundle measured"),
});

let dir: string;
let exitCode: number | null;
let stderr = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "footfall-bench-test-"));
  // The bench starts its own engines: drop the suite's local-stack settings from its environment.
  const env = { ...process.env };
  for (const key of Object.keys(inject("localEnv"))) delete env[key];
  delete env.LOG_LEVEL;
  const child = spawn("npm", ["run", "bench", "--", "--quick", "--out", dir], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  exitCode = await new Promise((done) => child.once("exit", done));
}, 330_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run bench -- --quick", () => {
  it("exits cleanly and writes results.json with the issue's shape and no mismatches", () => {
    expect(exitCode, stderr.slice(-2000)).toBe(0);
    const results: unknown = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    const parsed = resultsSchema.safeParse(results);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 5))).toBe(true);
  });

  it("writes a readable BENCHMARKS.md naming the machine and every section", () => {
    expect(existsSync(join(dir, "BENCHMARKS.md"))).toBe(true);
    const md = readFileSync(join(dir, "BENCHMARKS.md"), "utf8");
    for (const heading of [
      "## Machine",
      "## Targets",
      "## 1. Matcher",
      "## 2. Ingest",
      "## 2b. HTTP load",
      "## 3b. Geometry validation",
      "## 3c. Store import",
      "## 3. Index",
      "## 4. Cost",
      "## 5. Function bundles",
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toMatch(/v24\.\d+\.\d+/);
  });
});
