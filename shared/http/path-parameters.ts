/**
 * Path parameters read from the raw (still percent-encoded) request path against the route
 * template, so a malformed escape is the client's 400 naming the parameter, never a 500.
 */
import { ValidationError } from "../errors.ts";

const PARAM = /^\{([^}+]+)\+?\}$/;

/**
 * Decodes the path parameters of `rawPath` for the route template `template` (e.g.
 * `/v1/stores/{storeId}`): each segment at a `{name}` position goes through
 * `decodeURIComponent` (RFC 3986 §2.1 percent-encoding of UTF-8).
 *
 * @returns the decoded parameters by name; undefined when the path has another shape than the
 *   template (the caller's routing decides what that means).
 * @throws ValidationError (400) naming the parameter when its segment holds a malformed
 *   escape (`%`, `%zz`, a truncated or invalid UTF-8 sequence such as `%E0%A4%A`).
 */
export function decodePathParameters(
  template: string,
  rawPath: string,
): Record<string, string> | undefined {
  const names = template.split("/");
  const values = rawPath.split("/");
  if (names.length !== values.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = PARAM.exec(names[i] as string)?.[1];
    if (name === undefined) continue;
    const raw = values[i] as string;
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      throw ValidationError.field(
        name,
        "is not a valid percent-encoded path segment (RFC 3986: '%' must start an escape of " +
          "two hex digits encoding UTF-8; send a literal '%' as %25)",
      );
    }
  }
  return out;
}

/**
 * The route template of an HTTP API v2 route key (`"GET /v1/stores/{storeId}"` →
 * `/v1/stores/{storeId}`), or undefined for `$default` and other keys without a path.
 */
export function routeTemplate(routeKey: string | undefined): string | undefined {
  const path = routeKey?.split(" ")[1];
  return path?.startsWith("/") ? path : undefined;
}
