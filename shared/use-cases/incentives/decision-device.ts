import type { DevicePrincipal } from "../../auth/principal.ts";
import type { DecisionInput } from "../../domain/decision/decide.ts";
import { holdoutUnit } from "../../domain/incentive.ts";

/**
 * The device as every decision sees it, whatever triggered it (a zone event, a claim, an
 * exposure): its holdout unit (the asserted person when known), marketing consent, declared and
 * trusted segments, attestation, and its time zone when it sent one.
 */
export function decisionDevice(device: DevicePrincipal): DecisionInput["device"] {
  return {
    deviceId: device.deviceId,
    holdoutKey: holdoutUnit(device),
    consentMarketing: device.consentMarketing,
    segments: device.segments,
    trustedSegments: device.trustedSegments ?? [],
    attested: device.attested === true,
    ...(device.timeZone ? { timeZone: device.timeZone } : {}),
  };
}
