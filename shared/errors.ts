/**
 * The one error vocabulary of Footfall. Every failure a caller can see is one of these
 * classes; `toProblem` (shared/http/problem.ts) maps them to RFC 9457 problem+json.
 */

/** One invalid field: a JSON pointer-ish path (e.g. `pings/3/lat`) and a reason. */
export interface FieldIssue {
  path: string;
  reason: string;
}

/** Renders a path (zod's, or built by hand) as the slash-separated JSON path of a FieldIssue. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  const parts = [prefix, ...path.map((p) => String(p))].filter((p) => p !== "");
  return parts.length > 0 ? parts.join("/") : "(body)";
}

export abstract class FootfallError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  /** Safe to show to the caller (never for 5xx). */
  readonly detail: string;
  readonly issues: FieldIssue[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    detail: string,
    options?: { issues?: FieldIssue[]; extensions?: Record<string, unknown>; cause?: unknown },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.detail = detail;
    this.issues = options?.issues;
    this.extensions = options?.extensions;
  }

  /**
   * The error of one invalid field: detail `<path>: <reason>` and that single issue, e.g.
   * `ValidationError.field("pings/3/lat", "must be at most 90")`.
   */
  static field<E extends FootfallError>(
    this: new (
      detail: string,
      options?: { issues?: FieldIssue[] },
    ) => E,
    path: string,
    reason: string,
  ): E {
    return new this(`${path}: ${reason}`, { issues: [{ path, reason }] });
  }
}

/**
 * The base of one problem type: its HTTP status and its `type` (the last segment of the
 * problem's type URI, https://footfall.dev/problems/<type>).
 */
function problemType<S extends number, T extends string>(status: S, type: T) {
  abstract class Problem extends FootfallError {
    readonly status = status;
    readonly type = type;
  }
  return Problem;
}

/** 400: the request is syntactically or semantically invalid; names the field(s). */
export class ValidationError extends problemType(400, "validation-error") {}

/** 400: the body is not JSON. */
export class MalformedJsonError extends problemType(400, "malformed-json") {}

/** 401: missing, invalid, expired or revoked credentials. */
export class UnauthorizedError extends problemType(401, "unauthorized") {}

/** 403: authenticated but not allowed (role, consent). */
export class ForbiddenError extends problemType(403, "forbidden") {}

/** 404: absent, or owned by another tenant (never tell the difference). */
export class NotFoundError extends problemType(404, "not-found") {}

/** 405: the path exists but not with this method; `allow` lists the methods it has. */
export class MethodNotAllowedError extends problemType(405, "method-not-allowed") {
  /** The methods the path answers, for the `Allow` header (RFC 9110 §15.5.6). */
  readonly allow: string[];
  constructor(detail: string, allow: string[]) {
    super(detail, { extensions: { allow } });
    this.allow = allow;
  }
}

/** 409: conflicts with the current state (already redeemed, version mismatch). */
export class ConflictError extends problemType(409, "conflict") {}

/** 410: existed but is no longer usable (expired code). */
export class GoneError extends problemType(410, "gone") {}

/** 413: body over the limit. */
export class PayloadTooLargeError extends problemType(413, "payload-too-large") {}

/** 415: wrong content type. */
export class UnsupportedMediaTypeError extends problemType(415, "unsupported-media-type") {}

/** 422: well-formed but cannot be processed (address that geocodes to nothing). */
export class UnprocessableError extends problemType(422, "unprocessable") {}

/** 428: the request must be conditional (a replacement without `If-Match`). */
export class PreconditionRequiredError extends problemType(428, "precondition-required") {}

/** 429: too many attempts (redemption guessing, throttling). */
export class TooManyRequestsError extends problemType(429, "too-many-requests") {}

/** 503: a dependency is unavailable; nothing was written. */
export class ServiceUnavailableError extends problemType(503, "service-unavailable") {}
