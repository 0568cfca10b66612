import { MethodNotAllowedError, NotFoundError } from "../errors.ts";

/** The part of a route the fallback needs: its method and path template (`/v1/stores/{storeId}`). */
export interface RouteShape {
  method: string;
  path: string;
}

function pathRegex(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

/**
 * The answer for a request no route matched (API Gateway's `$default` route, and the local
 * runner's fallback): `MethodNotAllowedError` (405, with the methods the path has, for `Allow`)
 * when the path exists under other methods, `NotFoundError` (404) otherwise. Path parameters match
 * one non-empty segment, as in API Gateway route keys.
 *
 * @param routes every route of the API
 * @param method the request method, any case
 * @param path the request path, without query string
 * @returns the error to answer with (never undefined: the caller has no matching route)
 */
export function unmatchedRouteError(
  routes: readonly RouteShape[],
  method: string,
  path: string,
): NotFoundError | MethodNotAllowedError {
  const upper = method.toUpperCase();
  const allow = [
    ...new Set(routes.filter((r) => pathRegex(r.path).test(path)).map((r) => r.method)),
  ].sort();
  if (allow.length > 0 && !allow.includes(upper)) {
    return new MethodNotAllowedError(
      `${upper} is not allowed on ${path}; allowed: ${allow.join(", ")}.`,
      allow,
    );
  }
  return new NotFoundError(
    `No route matches ${upper} ${path}. The API is described at /v1/openapi.json.`,
  );
}
