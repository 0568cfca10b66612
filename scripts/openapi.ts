import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROUTES } from "../infra/routes.ts";
import { routeKeysJson } from "../shared/http/route-keys.ts";
import { openApiJson } from "../shared/openapi/document.ts";

/**
 * `tsx scripts/openapi.ts` writes what is generated from the route table (infra/routes.ts):
 * docs/openapi.json, and shared/http/route-keys.json (methods and paths only, for the `$default`
 * route's 404/405 without bundling every schema). `--check` exits 1 when a checked-in copy is
 * stale instead of writing it.
 */
const root = resolve(import.meta.dirname, "..");
const outputs: [string, string][] = [
  [resolve(root, "docs", "openapi.json"), openApiJson(ROUTES)],
  [resolve(root, "shared", "http", "route-keys.json"), routeKeysJson(ROUTES)],
];
let stale = false;
for (const [target, generated] of outputs) {
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      current = "";
    }
    if (current !== generated) {
      console.error(`${target} is stale: run \`npx tsx scripts/openapi.ts\``);
      stale = true;
    } else console.log(`${target} is up to date`);
  } else {
    writeFileSync(target, generated);
    console.log(`wrote ${target}`);
  }
}
if (stale) process.exit(1);
