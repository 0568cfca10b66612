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
}

/** 400: the request is syntactically or semantically invalid; names the field(s). */
export class ValidationError extends FootfallError {
  readonly status = 400;
  readonly type = "validation-error";
  static field(path: string, reason: string): ValidationError {
    return new ValidationError(`${path}: ${reason}`, { issues: [{ path, reason }] });
  }
}

/** 400: the body is not JSON. */
export class MalformedJsonError extends FootfallError {
  readonly status = 400;
  readonly type = "malformed-json";
}

/** 401: missing, invalid, expired or revoked credentials. */
export class UnauthorizedError extends FootfallError {
  readonly status = 401;
  readonly type = "unauthorized";
}

/** 403: authenticated but not allowed (role, consent). */
export class ForbiddenError extends FootfallError {
  readonly status = 403;
  readonly type = "forbidden";
}

/** 404: absent, or owned by another tenant (never tell the difference). */
export class NotFoundError extends FootfallError {
  readonly status = 404;
  readonly type = "not-found";
}

/** 405: the path exists but not with this method; `allow` lists the methods it has. */
export class MethodNotAllowedError extends FootfallError {
  readonly status = 405;
  readonly type = "method-not-allowed";
  /** The methods the path answers, for the `Allow` header (RFC 9110 §15.5.6). */
  readonly allow: string[];
  constructor(detail: string, allow: string[]) {
    super(detail, { extensions: { allow } });
    this.allow = allow;
  }
}

/** 409: conflicts with the current state (already redeemed, version mismatch). */
export class ConflictError extends FootfallError {
  readonly status = 409;
  readonly type = "conflict";
}

/** 410: existed but is no longer usable (expired code). */
export class GoneError extends FootfallError {
  readonly status = 410;
  readonly type = "gone";
}

/** 413: body over the limit. */
export class PayloadTooLargeError extends FootfallError {
  readonly status = 413;
  readonly type = "payload-too-large";
}

/** 415: wrong content type. */
export class UnsupportedMediaTypeError extends FootfallError {
  readonly status = 415;
  readonly type = "unsupported-media-type";
}

/** 422: well-formed but cannot be processed (address that geocodes to nothing). */
export class UnprocessableError extends FootfallError {
  readonly status = 422;
  readonly type = "unprocessable";
  static field(path: string, reason: string): UnprocessableError {
    return new UnprocessableError(`${path}: ${reason}`, { issues: [{ path, reason }] });
  }
}

/** 428: the request must be conditional (a replacement without `If-Match`). */
export class PreconditionRequiredError extends FootfallError {
  readonly status = 428;
  readonly type = "precondition-required";
}

/** 429: too many attempts (redemption guessing, throttling). */
export class TooManyRequestsError extends FootfallError {
  readonly status = 429;
  readonly type = "too-many-requests";
}

/** 503: a dependency is unavailable; nothing was written. */
export class ServiceUnavailableError extends FootfallError {
  readonly status = 503;
  readonly type = "service-unavailable";
}
