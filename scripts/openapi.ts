import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROUTES } from "../infra/routes.ts";
import { openApiJson } from "../shared/openapi/document.ts";

/**
 * `tsx scripts/openapi.ts` writes docs/openapi.json from the route table; `--check` exits 1
 * when the checked-in copy is stale instead of writing it.
 */
const target = resolve(import.meta.dirname, "..", "docs", "openapi.json");
const generated = openApiJson(ROUTES);
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    current = "";
  }
  if (current !== generated) {
    console.error("docs/openapi.json is stale: run `tsx scripts/openapi.ts`");
    process.exit(1);
  }
  console.log("docs/openapi.json is up to date");
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
