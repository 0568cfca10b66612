import { FootfallError, MethodNotAllowedError } from "../errors.ts";
import type { HttpResult } from "./types.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  428: "Precondition Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * The one mapper from errors to RFC 9457 problem details. Known errors keep their detail and field
 * issues; anything else becomes a generic 500 carrying only the request id, so internals never leak.
 */
export function toProblem(error: unknown, requestId: string, instance?: string): HttpResult {
  const known = error instanceof FootfallError;
  const status = known ? error.status : 500;
  const body: Record<string, unknown> = {
    type: `https://footfall.dev/problems/${known ? error.type : "internal"}`,
    title: TITLES[status] ?? "Error",
    status,
    detail: known ? error.detail : "An unexpected error occurred. Quote the request id to support.",
    ...(instance ? { instance } : {}),
    requestId,
    ...(known && error.issues ? { errors: error.issues } : {}),
    ...(known && error.extensions ? error.extensions : {}),
  };
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  if (status === 401) headers["www-authenticate"] = "Bearer";
  // RFC 9110 §10.2.3: a 429 says when to come back (delta-seconds).
  const retryAfter = known ? error.extensions?.retryAfterSeconds : undefined;
  if (status === 429 && typeof retryAfter === "number" && Number.isFinite(retryAfter)) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
  }
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(", ");
  return { statusCode: status, headers, body: JSON.stringify(body) };
}
