import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import type { HttpEvent } from "../http/types.ts";

export const ROLES = ["merchant-admin", "marketing-analyst", "pos"] as const;
export type Role = (typeof ROLES)[number];

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
  /** Open visits recorded for the device when the authorizer ran (skip state reads when 0). */
  openZones: number;
}

/** Cognito delivers `cognito:groups` as an array, or API Gateway flattens it to "[a b]". */
function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== "string") return [];
  return raw
    .replace(/^\[|\]$/g, "")
    .split(/[\s,]+/)
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

/**
 * The merchant id and roles of the caller, read only from verified JWT claims (never from the body
 * or query), so a merchant cannot act for another tenant.
 */
export function merchantPrincipal(event: HttpEvent): MerchantPrincipal {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new UnauthorizedError("A merchant bearer token is required.");
  const merchantId = claims["custom:merchantId"] ?? claims.merchantId;
  const subject = claims.sub;
  if (typeof merchantId !== "string" || merchantId === "" || typeof subject !== "string") {
    throw new UnauthorizedError("The token carries no merchant.");
  }
  const roles = parseGroups(claims["cognito:groups"] ?? claims.groups).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  return { merchantId, subject, roles };
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
  let segments: string[] = [];
  if (typeof ctx.segments === "string" && ctx.segments !== "") {
    try {
      const parsed: unknown = JSON.parse(ctx.segments);
      if (Array.isArray(parsed)) segments = parsed.map(String);
    } catch {
      segments = [];
    }
  }
  return {
    deviceId,
    consentLocation: bool(ctx.consentLocation),
    consentMarketing: bool(ctx.consentMarketing),
    timeZone: typeof ctx.timeZone === "string" && ctx.timeZone !== "" ? ctx.timeZone : undefined,
    segments,
    platform: typeof ctx.platform === "string" ? ctx.platform : "unknown",
    openZones: Number(ctx.openZones ?? 0) || 0,
  };
}
