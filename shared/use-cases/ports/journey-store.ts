import type { JourneyHistory } from "../../domain/journey/stage.ts";

/** A device's history at one merchant as read, with the version its next write must find. */
export interface StoredJourney {
  /** Absent: no visit kept (never seen, expired, or erased). */
  history: JourneyHistory | undefined;
  /** 0 when absent; the next write is conditional on it. */
  version: number;
}

/**
 * Port: visit histories (devices table, `DEVICE#id / JOURNEY#merchantId`, erased with the
 * device). Written only inside the visit's own transaction (`DecisionStore.recordVisit`).
 */
export interface JourneyStore {
  /** One strongly consistent read of the history. */
  load(deviceId: string, merchantId: string): Promise<StoredJourney>;
}

/** The history a visit writes, in the same transaction as the visit's log records. */
export interface JourneyWrite {
  merchantId: string;
  history: JourneyHistory;
  /** The version read; the write fails (and the visit retries) if another write came first. */
  expectedVersion: number;
  /** Epoch seconds: DynamoDB TTL of the item. */
  expiresAt: number;
}
