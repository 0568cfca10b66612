import type { Device } from "../domain/device.ts";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import type { HttpEvent } from "../http/types.ts";

export const ROLES = ["merchant-admin", "marketing-analyst", "pos"] as const;
export type Role = (typeof ROLES)[number];

/** Only admins of the merchant change its catalog. */
export const CATALOG_WRITE_ROLES: readonly Role[] = ["merchant-admin"];
/** Analysts read the catalog to make sense of reports; POS staff never need offers. */
export const CATALOG_READ_ROLES: readonly Role[] = ["merchant-admin", "marketing-analyst"];
/** Stores are also read by POS staff: they redeem at them, by id or store code. */
export const STORE_READ_ROLES: readonly Role[] = [...CATALOG_READ_ROLES, "pos"];
/** Who may read the conversion log and the reports. */
export const REPORT_ROLES: readonly Role[] = ["marketing-analyst", "merchant-admin"];
/** Who redeems codes at the till. */
export const POS_ROLES: readonly Role[] = ["pos"];

/** A merchant-side caller as proven by the JWT authorizer. */
export interface MerchantPrincipal {
  merchantId: string;
  subject: string;
  roles: Role[];
}

/** A device as proven by the device authorizer (token verified, device still registered). */
export interface DevicePrincipal {
  deviceId: string;
  consentLocation: boolean;
  consentMarketing: boolean;
  timeZone: string | undefined;
  segments: string[];
  platform: string;
  /**
   * Active pickup orders of the device (`merchantId|pickupId`) when the authorizer read the
   * profile; absent or empty means none, and the ping path then does no pickup work at all.
   */
  pickupRefs?: string[] | undefined;
  /** Keyed pseudonym of the asserted app user; caps and holdouts count per person when set. */
  personRef?: string | undefined;
  /** Segments the app's backend vouched for (self-declared ones are in `segments`). */
  trustedSegments?: string[] | undefined;
  /** A platform attestation was verified at registration. */
  attested?: boolean | undefined;
}

/**
 * Seconds a token's `iat` may lie in the future (clock skew between the issuer and us). Cognito
 * and API Gateway run on synchronised clocks; a minute is generous.
 */
export const IAT_SKEW_SECONDS = 60;

/**
 * Group names of a verified token, exactly as issued. A Cognito ID token carries
 * `cognito:groups` as a JSON array. The HTTP API JWT authorizer hands array claims to the Lambda
 * integration as ONE string, the elements joined by single spaces inside brackets (`["a","b"]`
 * arrives as `"[a b]"`). Cognito group names cannot contain whitespace (pattern
 * `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`), so splitting that form on single spaces is exact; commas
 * are legal inside a name and therefore never separate anything (`"pos,merchant-admin"` is one
 * group that grants nothing). Any other shape (a bare string, numbers, objects) yields no group.
 */
export function parseGroupsClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === "string");
  if (typeof raw !== "string") return [];
  if (raw.length < 2 || !raw.startsWith("[") || !raw.endsWith("]")) return [];
  const inner = raw.slice(1, -1);
  return inner === "" ? [] : inner.split(" ").filter((g) => g !== "");
}

/** A numeric date claim as a JSON number or as API Gateway's stringified form ("1612053076"). */
function numericDate(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "string" && /^\d{1,12}$/.test(raw)) return Number(raw);
  return undefined;
}

/**
 * The merchant id and roles of the caller, read only from verified JWT claims (never from the body
 * or query), so a merchant cannot act for another tenant. Only a Cognito ID token counts:
 * `token_use` must be `id`, the tenant comes only from `custom:merchantId` (an attribute the app
 * client cannot write), roles only from `cognito:groups` as exact names, and `iat` must not lie more
 * than `IAT_SKEW_SECONDS` in the future. Throws `UnauthorizedError` (401) otherwise.
 */
export function merchantPrincipal(
  event: HttpEvent,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): MerchantPrincipal {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new UnauthorizedError("A merchant bearer token is required.");
  if (claims.token_use !== "id") throw new UnauthorizedError("An ID token is required.");
  const iat = numericDate(claims.iat);
  if (iat === undefined || iat > nowSeconds + IAT_SKEW_SECONDS) {
    throw new UnauthorizedError("The token's issue time is invalid.");
  }
  const merchantId = claims["custom:merchantId"];
  const subject = claims.sub;
  if (typeof merchantId !== "string" || merchantId === "" || typeof subject !== "string") {
    throw new UnauthorizedError("The token carries no merchant.");
  }
  const roles = parseGroupsClaim(claims["cognito:groups"]).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  return { merchantId, subject, roles: [...new Set(roles)] };
}

/** Throws 403 unless the principal holds one of `allowed`. */
export function requireRole(principal: MerchantPrincipal, allowed: readonly Role[]): void {
  if (!principal.roles.some((role) => allowed.includes(role))) {
    throw new ForbiddenError(`This action needs one of the roles: ${allowed.join(", ")}.`);
  }
}

/** Reads the device context the device authorizer attached to the request. */
export function devicePrincipal(event: HttpEvent): DevicePrincipal {
  const ctx = event.requestContext.authorizer?.lambda;
  const deviceId = ctx?.deviceId;
  if (!ctx || typeof deviceId !== "string" || deviceId === "") {
    throw new UnauthorizedError("A device bearer token is required.");
  }
  const bool = (v: unknown) => v === true || v === "true";
  const list = (raw: unknown): string[] => {
    if (typeof raw !== "string" || raw === "") return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      return [];
    }
  };
  const segments = list(ctx.segments);
  const trustedSegments = list(ctx.trustedSegments);
  const pickupRefs = list(ctx.pickupRefs);
  return {
    deviceId,
    consentLocation: bool(ctx.consentLocation),
    consentMarketing: bool(ctx.consentMarketing),
    timeZone: typeof ctx.timeZone === "string" && ctx.timeZone !== "" ? ctx.timeZone : undefined,
    segments,
    platform: typeof ctx.platform === "string" ? ctx.platform : "unknown",
    ...(typeof ctx.personRef === "string" && ctx.personRef !== ""
      ? { personRef: ctx.personRef }
      : {}),
    ...(trustedSegments.length > 0 ? { trustedSegments } : {}),
    ...(pickupRefs.length > 0 ? { pickupRefs } : {}),
    ...(bool(ctx.attested) ? { attested: true } : {}),
  };
}

/**
 * A device's principal from its stored profile (never from a cached decision): what the device
 * authorizer hands a route, what ping-ingest decides with after reading the profile itself, and
 * what the sweeper and pickups decide with, so caps and holdouts count per person alike.
 */
export function devicePrincipalOf(device: Device): DevicePrincipal {
  const pickupRefs = device.pickupRefs ? [...device.pickupRefs].map(String).sort() : [];
  return {
    deviceId: device.deviceId,
    consentLocation: device.consent.location,
    consentMarketing: device.consent.marketing,
    timeZone: device.timeZone,
    segments: device.segments,
    platform: device.platform,
    ...(device.personRef ? { personRef: device.personRef } : {}),
    ...(device.trustedSegments?.length ? { trustedSegments: device.trustedSegments } : {}),
    ...(device.attested === true ? { attested: true } : {}),
    ...(pickupRefs.length > 0 ? { pickupRefs } : {}),
  };
}
