import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESM_REQUIRE_BANNER, functionBuildOptions } from "../../infra/bundle-settings.ts";
import { REPO_ROOT } from "../../infra/footfall-function.ts";
import { DEFAULT_BUNDLE_BUDGET_KB, FUNCTION_SPECS } from "../../infra/function-specs.ts";
import { logicalId, resources, type Synthesized, synthFootfall } from "./synth.ts";

/** Where the report goes: next to the CLI's own output, ignored by git. */
const BUNDLE_REPORT_PATH = join(REPO_ROOT, "cdk.out", "bundle-sizes.json");

interface BundleRow {
  fn: string;
  kb: number;
  budgetKb: number;
  asset: string;
}

let s: Synthesized;
let rows: BundleRow[];

/** The asset directory holding a function's bundle (its S3 key is `<asset hash>.zip`). */
function assetDir(name: string): string {
  const f = s.service.functions[name];
  if (!f) throw new Error(`no function ${name}`);
  const props = resources(s.serviceTemplate)[logicalId(s.service, f.fn)]?.Properties as {
    Code: { S3Key: string };
  };
  return join(s.assemblyDir, `asset.${props.Code.S3Key.replace(/\.zip$/, "")}`);
}

/** The biggest inputs of a bundle (same esbuild settings), to say what to cut when over budget. */
async function biggestInputs(name: string): Promise<string> {
  const result = await build({
    ...functionBuildOptions(REPO_ROOT, name),
    write: false,
    metafile: true,
    outfile: join(REPO_ROOT, "cdk.out", "probe.mjs"),
  });
  const output = Object.values(result.metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split("/")[0] ?? path;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([pkg, bytes]) => `${pkg} ${Math.round(bytes / 1024)} KB`)
    .join(", ");
}

beforeAll(() => {
  // The real thing: every function bundled by esbuild exactly as `cdk deploy` would.
  s = synthFootfall({ bundle: true });
  rows = Object.entries(FUNCTION_SPECS).map(([fn, spec]) => {
    const asset = assetDir(fn);
    const bytes = statSync(join(asset, "index.mjs")).size;
    return {
      fn,
      kb: Math.round((bytes / 1024) * 10) / 10,
      budgetKb: spec.bundleBudget?.kb ?? DEFAULT_BUNDLE_BUDGET_KB,
      asset,
    };
  });
  mkdirSync(join(REPO_ROOT, "cdk.out"), { recursive: true });
  writeFileSync(
    BUNDLE_REPORT_PATH,
    `${JSON.stringify(
      rows.map(({ fn, kb, budgetKb }) => ({ fn, kb, budgetKb })),
      null,
      2,
    )}\n`,
  );
  console.table(rows.map(({ fn, kb, budgetKb }) => ({ fn, kb, budgetKb })));
}, 600_000);

afterAll(() => {
  if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
});

describe("function bundles", () => {
  it("are single minified ESM files with a source map and the require shim", () => {
    for (const row of rows) {
      const code = readFileSync(join(row.asset, "index.mjs"), "utf8");
      expect(code.startsWith(ESM_REQUIRE_BANNER), row.fn).toBe(true);
      expect(existsSync(join(row.asset, "index.mjs.map")), row.fn).toBe(true);
      // Minified: a handful of very long lines, not one statement per line.
      expect(code.split("\n").length, row.fn).toBeLessThan(200);
    }
  });

  it("carry the AWS SDK inside (no import left for the runtime's copy)", () => {
    for (const row of rows) {
      const code = readFileSync(join(row.asset, "index.mjs"), "utf8");
      const imports = code.match(/(from\s*|import\(\s*)["']@aws-sdk\/[^"']+["']/g) ?? [];
      expect(imports, row.fn).toEqual([]);
    }
  });

  it("stay within their size budget (default 500 KB minified)", async () => {
    expect(existsSync(BUNDLE_REPORT_PATH)).toBe(true);
    const over = rows.filter((r) => r.kb > r.budgetKb);
    const details = await Promise.all(
      over.map(
        async (r) => `${r.fn}: ${r.kb} KB > ${r.budgetKb} KB (${await biggestInputs(r.fn)})`,
      ),
    );
    expect(details, `bundles over budget (report: ${BUNDLE_REPORT_PATH})`).toEqual([]);
  }, 300_000);
});
