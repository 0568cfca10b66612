import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_SPECS } from "../../../infra/function-specs.ts";

/**
 * Every deployed function builds its handler through `lambdaHandler` (shared/lambda-handler.ts),
 * directly or through the route factories built on it, so each one injects the Lambda context
 * into its logs, resets per-invocation log keys and flushes its metrics. The behaviour of the
 * factory itself is tested in test/unit/foundation/lambda-handler.test.ts.
 */
const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The ways a function file may build its exported handler, all on `lambdaHandler`. */
const BUILDERS = [
  /\blambdaHandler</,
  /\brouteHandler\(/,
  /\bcatalogHandler\.\w+\(/,
  /\bdeviceActionHandler\(/,
  /\breportHandler\(/,
  /\bmerchantActionHandler\(/,
];

describe("every function flushes its metrics and resets its log keys", () => {
  it("the route factories are built on lambdaHandler", () => {
    const factory = read("shared/http/route-handler.ts");
    expect(factory).toMatch(/return lambdaHandler<HttpEvent, HttpResult>\(\)/);
    expect(factory).not.toMatch(/from "@middy\/core"/);
  });

  for (const fn of Object.keys(FUNCTION_SPECS)) {
    it(`${fn}: handler built through lambdaHandler, no hand-managed keys or flushes`, () => {
      const text = read(`functions/${fn}.ts`);
      const at = text.search(/export const handler\b/);
      expect(at, "exports `handler`").toBeGreaterThanOrEqual(0);
      const exported = text.slice(at);
      expect(BUILDERS.some((b) => b.test(exported))).toBe(true);
      // A bare middy chain would skip the context injection, the key reset and the flush.
      expect(text).not.toMatch(/from "@middy\/core"/);
      expect(text).not.toMatch(/\b(resetKeys|publishStoredMetrics|logMetrics)\b/);
    });
  }
});
