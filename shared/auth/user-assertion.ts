import { jwtVerify } from "jose";
import * as z from "zod";
import { UnauthorizedError } from "../errors.ts";

/** The `aud` an app's backend puts in a user assertion. */
export const USER_ASSERTION_AUDIENCE = "footfall";

/** Longest lifetime (exp − iat) of a user assertion: it is minted right before registration. */
export const USER_ASSERTION_MAX_TTL_SECONDS = 600;

/** Clock skew tolerated on iat/exp between the app's backend and us. */
export const USER_ASSERTION_SKEW_SECONDS = 60;

const segment = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

const claimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1).max(256),
  iat: z.number().int(),
  exp: z.number().int(),
  segments: z.array(segment).max(50).optional(),
});

/** What an app's backend vouches for about the device's user. */
export interface UserAssertion {
  /** The app's own user id (never stored: only its keyed pseudonym is). */
  userId: string;
  /** Segments the app's backend assigns to this user (trusted, unlike self-declared ones). */
  segments: string[] | undefined;
}

function refuse(reason: string): UnauthorizedError {
  return new UnauthorizedError(`userAssertion: ${reason}`, {
    issues: [{ path: "userAssertion", reason }],
  });
}

/**
 * Verifies a user assertion: a compact JWS (HS256) that the app's backend signs with the app's
 * server secret, with `iss` = the app id, `aud` = "footfall", `sub` = the app's user id
 * (1–256 chars), `iat` and `exp` at most `USER_ASSERTION_MAX_TTL_SECONDS` apart and not expired
 * (skew `USER_ASSERTION_SKEW_SECONDS`), and optionally `segments` (≤ 50 names). Verified with
 * jose. Throws `UnauthorizedError` naming `userAssertion` on any failure.
 */
export async function verifyUserAssertion(
  serverSecret: string,
  token: string,
  expected: { appId: string; nowSeconds: number },
): Promise<UserAssertion> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(serverSecret), {
      algorithms: ["HS256"],
      audience: USER_ASSERTION_AUDIENCE,
      issuer: expected.appId,
      currentDate: new Date(expected.nowSeconds * 1000),
      clockTolerance: USER_ASSERTION_SKEW_SECONDS,
      requiredClaims: ["iat", "exp", "sub"],
    }));
  } catch {
    throw refuse("must be a valid, unexpired assertion signed with this app's server secret");
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw refuse("has malformed claims (sub, iat, exp, segments)");
  const { iat, exp, sub, segments } = claims.data;
  if (iat > expected.nowSeconds + USER_ASSERTION_SKEW_SECONDS)
    throw refuse("is issued in the future");
  if (exp - iat > USER_ASSERTION_MAX_TTL_SECONDS) {
    throw refuse(`must expire at most ${USER_ASSERTION_MAX_TTL_SECONDS} s after it is issued`);
  }
  return { userId: sub, segments: segments ? [...new Set(segments)] : undefined };
}
