/**
 * The method and path of every route, as shared/http/route-keys.json holds them (generated from
 * the route table by scripts/openapi.ts, kept fresh by test/unit/contract). The `$default`
 * route's function reads that file: its 404/405 answers need the paths, not the schemas.
 */
import type { RouteShape } from "./route-match.ts";

/** The checked-in form: one `{method, path}` per route, in table order, 2-space JSON. */
export function routeKeysJson(routes: readonly RouteShape[]): string {
  const keys = routes.map(({ method, path }) => ({ method, path }));
  return `${JSON.stringify(keys, null, 2)}\n`;
}
