import type { ConversionRecord } from "../../domain/conversion.ts";
import { localDay } from "../../domain/decision/local-day.ts";
import type { DecisionStore } from "../ports/decision-store.ts";

/** A redemption code item as DynamoDB TTL removed it (the stream's old image). */
export interface ExpiredCode {
  incentiveId: string;
  merchantId: string;
  offerId: string;
  storeId: string;
  status: string;
  expiresAtMs?: number;
  deviceRef?: string;
  timeZone?: string;
  /** What issued the code, when a touch did (online claims: see `isOnlineTouch`). */
  touch?: { kind?: string };
}

const TOUCH_KINDS = new Set(["geofence", "claim", "exposure", "web_claim"]);

/** The touch kind a stored code carries, if it is one the conversion log knows. */
function touchKind(kind: string | undefined): ConversionRecord["touch"] {
  return kind !== undefined && TOUCH_KINDS.has(kind)
    ? (kind as ConversionRecord["touch"])
    : undefined;
}

/**
 * Turns the TTL removal of a code that was never redeemed into the funnel's `expired` record
 * (dated at the code's expiry, on the store's local day). Redeemed codes expire silently.
 */
export async function recordCodeExpiry(
  deps: { store: Pick<DecisionStore, "recordExpired">; retentionDays: number },
  code: ExpiredCode,
): Promise<boolean> {
  if (code.status !== "issued" || code.expiresAtMs === undefined) return false;
  const at = code.expiresAtMs;
  return await deps.store.recordExpired(
    {
      eventId: `expired:${code.incentiveId}`,
      type: "expired",
      merchantId: code.merchantId,
      offerId: code.offerId,
      storeId: code.storeId,
      deviceRef: code.deviceRef ?? "-",
      at,
      localDay: localDay(at, code.timeZone ?? "UTC"),
      incentiveId: code.incentiveId,
      group: "treated",
      ...(touchKind(code.touch?.kind) ? { touch: touchKind(code.touch?.kind) } : {}),
    },
    Math.ceil((at + deps.retentionDays * 86_400_000) / 1000),
  );
}
