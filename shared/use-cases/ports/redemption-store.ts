/** Port: RedemptionStore, IssuedCode, AttemptKey, StaticCap, RedeemOutcome, RedemptionWrite (implemented by shared/adapters/dynamo/redemption-store.ts). */
import type { ConversionRecord } from "../../domain/conversion.ts";
import type { IncentiveTouch } from "../../domain/incentive.ts";

/** A unique redemption code as the decision step issued it (incentives table). */
export interface IssuedCode {
  incentiveId: string;
  merchantId: string;
  offerId: string;
  storeId: string;
  /** Every store of the offer: the code can be redeemed at any of them. */
  storeIds: string[];
  code: string;
  codeKind: "unique";
  status: "issued" | "redeemed";
  expiresAtMs: number;
  title: string;
  deviceRef: string;
  redeemedAt?: string | undefined;
  redeemedStoreId?: string | undefined;
  /** Channel, variant and kind of the touch that issued the code (absent on older codes). */
  touch?: IncentiveTouch | undefined;
}

/** What a redemption writes besides the code: the `redeemed` log record and its counters. */
export interface RedemptionWrite {
  record: ConversionRecord;
  /** Epoch seconds: the log record's retention. */
  recordExpiresAt: number;
}

export type RedeemOutcome =
  | { kind: "redeemed" }
  /** The transaction was refused; `current` is the code as it is now (re-read, consistent). */
  | { kind: "refused"; current: IssuedCode | undefined };

/** Port: single-use codes, the redemption log and the attempt limiter's counters. */
export interface RedemptionStore {
  findCode(merchantId: string, code: string): Promise<IssuedCode | undefined>;
  /**
   * Flips the code issued → redeemed (only if still issued and unexpired at `now`) together
   * with the log record and the counters, all or nothing.
   */
  redeem(
    code: IssuedCode,
    storeId: string,
    now: number,
    write: RedemptionWrite,
  ): Promise<RedeemOutcome>;
  /**
   * Logs a static-code redemption (no single-use item) with its counters, all or nothing. With a
   * `cap`, the offer's static-redemption count moves in the same transaction only while below the
   * cap (exact under concurrency); returns `capped` when the cap was already reached.
   */
  logRedemption(write: RedemptionWrite, cap?: StaticCap): Promise<"logged" | "capped">;
  /**
   * Takes one attempt slot of `key` unless `limit` slots are taken in its window (one conditional
   * update, so concurrent callers can never take more than `limit`). Returns false when full.
   */
  reserveAttempt(key: AttemptKey, limit: number, expiresAt: number): Promise<boolean>;
  /** Gives a reserved slot back (the attempt answered a real code, or was never evaluated). */
  releaseAttempt(key: AttemptKey): Promise<void>;
}

/** Whose attempts a slot counts against: one till (POS identity) or one store of the merchant. */
export interface AttemptKey {
  merchantId: string;
  scope: "till" | "store";
  /** Token subject for a till, store id for a store. */
  id: string;
  /** Start of the fixed window, epoch ms. */
  windowStart: number;
}

/** The per-offer static-code redemption cap and the offer it belongs to. */
export interface StaticCap {
  merchantId: string;
  offerId: string;
  /** Absent = uncapped (the count is still kept). */
  max?: number | undefined;
}
