/**
 * The esbuild settings of every function bundle, in one module free of the CDK so that the
 * benchmarks and the bundle-size test build exactly what the CDK deploys (infra/footfall-function.ts
 * hands the same values to NodejsFunction).
 */
import { join } from "node:path";
import type { BuildOptions } from "esbuild";

/** Lets bundled CommonJS dependencies call `require` inside an ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** The Lambda runtime the bundles target (Node.js 24). */
export const BUNDLE_TARGET = "node24";
/**
 * Import aliases of every bundle: the SDK's default credential chain is replaced by the
 * environment link Lambda uses (shared/adapters/lambda-credentials.ts), about 125 KB less per
 * function; the SDK's event-stream codec, loaded only by operations with an event-stream member
 * (none is called), by a module that throws if one ever is (shared/adapters/no-event-streams.ts),
 * about 19 KB less per function. Paths are relative to the repository root, esbuild's working
 * directory.
 */
export const BUNDLE_ALIAS: Record<string, string> = {
  "@aws-sdk/credential-provider-node": "./shared/adapters/lambda-credentials.ts",
  "@smithy/core/event-streams": "./shared/adapters/no-event-streams.ts",
};
export const BUNDLE_MAIN_FIELDS = ["module", "main"];

/**
 * esbuild options for the bundle of `functions/<name>.ts` under the repository `root`, as
 * deployed: ESM for Node 24, minified, the AWS SDK bundled, the require banner and the alias.
 * Output options (outfile, write, source maps, metafile) are the caller's.
 */
export function functionBuildOptions(root: string, name: string): BuildOptions {
  return {
    entryPoints: [join(root, "functions", `${name}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: BUNDLE_TARGET,
    mainFields: BUNDLE_MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: BUNDLE_ALIAS,
    absWorkingDir: root,
    minify: true,
    logLevel: "silent",
  };
}
