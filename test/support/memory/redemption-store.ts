/**
 * In-memory redemption store: codes, the redemption log writes, static-code caps and the guess
 * limiter's attempt windows. Implements the port (a port change breaks it at typecheck).
 */
import type {
  AttemptKey,
  IssuedCode,
  RedemptionStore,
  RedemptionWrite,
  StaticCap,
} from "../../../shared/use-cases/ports/redemption-store.ts";

/**
 * The redemption store in memory: the code flip is atomic per call (like the transaction), and a test can
 * interleave a competitor between the read and the write with `beforeRedeem`.
 */
export class MemoryRedemptions implements RedemptionStore {
  readonly codes = new Map<string, IssuedCode>();
  readonly writes: RedemptionWrite[] = [];
  beforeRedeem: (() => void) | undefined;

  addCode(code: IssuedCode): void {
    this.codes.set(`${code.merchantId}|${code.code}`, { ...code });
  }

  async findCode(merchantId: string, code: string) {
    const found = this.codes.get(`${merchantId}|${code}`);
    return found ? { ...found } : undefined;
  }

  async redeem(code: IssuedCode, storeId: string, now: number, write: RedemptionWrite) {
    this.beforeRedeem?.();
    const current = this.codes.get(`${code.merchantId}|${code.code}`);
    if (current?.status !== "issued" || !(current.expiresAtMs > now)) {
      return { kind: "refused" as const, current: current ? { ...current } : undefined };
    }
    current.status = "redeemed";
    current.redeemedAt = new Date(now).toISOString();
    current.redeemedStoreId = storeId;
    this.writes.push(write);
    return { kind: "redeemed" as const };
  }

  readonly staticCounts = new Map<string, number>();

  async logRedemption(write: RedemptionWrite, cap?: StaticCap) {
    if (cap) {
      const key = `${cap.merchantId}|${cap.offerId}`;
      const n = this.staticCounts.get(key) ?? 0;
      if (cap.max !== undefined && n >= cap.max) return "capped" as const;
      this.staticCounts.set(key, n + 1);
    }
    this.writes.push(write);
    return "logged" as const;
  }

  readonly attempts = new Map<string, number>();

  async reserveAttempt(key: AttemptKey, limit: number) {
    const k = `${key.merchantId}|${key.scope}|${key.id}|${key.windowStart}`;
    const n = this.attempts.get(k) ?? 0;
    if (n >= limit) return false;
    this.attempts.set(k, n + 1);
    return true;
  }

  async releaseAttempt(key: AttemptKey) {
    const k = `${key.merchantId}|${key.scope}|${key.id}|${key.windowStart}`;
    this.attempts.set(k, Math.max(0, (this.attempts.get(k) ?? 0) - 1));
  }
}
