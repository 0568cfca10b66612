/**
 * Builds the marketing dashboard (dashboard/) with esbuild: one minified ES module and one CSS
 * file (uPlot's styles included), content-hashed for caching, and index.html pointing at them.
 * Used by `npm start`, `npm run build:dashboard`, the CDK app (the dashboard function ships the
 * files) and the browser tests. Synchronous, so the CDK app can call it while synthesizing.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { buildSync } from "esbuild";

export const DASHBOARD_SRC = resolve(import.meta.dirname, "..", "dashboard");
/** Default output: gitignored, beside the sources. */
export const DASHBOARD_OUT = resolve(import.meta.dirname, "..", ".build", "dashboard");

export interface DashboardBuild {
  outDir: string;
  /** Output file names (index.html, app-<hash>.js, app-<hash>.css) and their sizes in bytes. */
  files: Record<string, number>;
}

/** Builds the dashboard into `outDir` (emptied first). */
export function buildDashboard(outDir: string = DASHBOARD_OUT): DashboardBuild {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = buildSync({
    entryPoints: { app: join(DASHBOARD_SRC, "src", "main.ts") },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    entryNames: "[name]-[hash]",
    outdir: outDir,
    metafile: true,
    legalComments: "linked",
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile?.outputs ?? {}).map((p) => basename(p));
  const js = outputs.find((f) => f.endsWith(".js"));
  const css = outputs.find((f) => f.endsWith(".css"));
  if (!js || !css) throw new Error("dashboard build produced no script or style sheet");
  const html = readFileSync(join(DASHBOARD_SRC, "index.html"), "utf8")
    .replace("%APP_JS%", js)
    .replace("%APP_CSS%", css);
  writeFileSync(join(outDir, "index.html"), html);
  const files: Record<string, number> = { "index.html": Buffer.byteLength(html) };
  for (const f of outputs) files[f] = readFileSync(join(outDir, f)).byteLength;
  return { outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const built = buildDashboard(process.argv[2] ? resolve(process.argv[2]) : DASHBOARD_OUT);
  console.log(`dashboard built in ${built.outDir}:`, built.files);
}
