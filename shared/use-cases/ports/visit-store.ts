import type { Device } from "../../domain/device.ts";
import type { DeviceVisitState, ZoneEvent } from "../../domain/visit/types.ts";

/** Thrown when another batch of the same device saved its state first. */
export class VisitStateConflict extends Error {
  override readonly name = "VisitStateConflict";
}

/**
 * Thrown when the device's profile is gone or its erasure has started: nothing may be created
 * in an erased device's partition (a token cached by the authorizer can outlive the device).
 */
export class DeviceErased extends Error {
  override readonly name = "DeviceErased";
}

/** A page of the sparse `due` index: device ids whose visit item is due, and the items read. */
export interface DuePage {
  deviceIds: string[];
  itemsRead: number;
}

export interface StoredVisits {
  state: DeviceVisitState | undefined;
  /** Events saved with the state but not yet confirmed handled (a per-device outbox). */
  pending: ZoneEvent[];
  version: number;
}

/**
 * Clearing a device's outbox once the decision step has handled it: the visit item saved at
 * `savedVersion` keeps its state, loses its `pending` events and moves to `savedVersion + 1`,
 * due as `nextDueAt` says with nothing pending, and only if no other save came first (a later
 * save carries the outbox on, or the sweeper handed it on). The decision step commits it inside
 * its own last transaction (`ZoneEventSink.handle`), so the clear costs no request of its own.
 */
export interface OutboxClear {
  deviceId: string;
  savedVersion: number;
  /** Epoch seconds: the item's TTL, as saved. */
  expiresAt: number;
  /** Epoch ms the cleared item is due for the sweeper; absent: out of the `due` index. */
  dueAt?: number | undefined;
}

/** The device's profile and visit state as read together (one request). */
export interface DeviceSnapshot {
  /** Undefined when the device is not registered (never was, or erased). */
  profile: Device | undefined;
  visits: StoredVisits;
}

/**
 * Port: the ping path's one read. The profile (to admit the device and decide for it) and the
 * visit state (to advance it) share a partition, so one strongly consistent request returns both.
 */
export interface DeviceSnapshotReader {
  snapshot(deviceId: string): Promise<DeviceSnapshot>;
}

/** Port: one visit-state item per device, written only on change, guarded by a version. */
export interface VisitStore {
  load(deviceId: string): Promise<StoredVisits>;
  /**
   * Saves state and outbox together; throws `VisitStateConflict` if the version moved and
   * `DeviceErased` when a first save finds no live profile. `dueAt` (epoch ms) puts the item in the
   * sparse `due` index (see `nextDueAt`); absent takes it out.
   */
  save(
    deviceId: string,
    next: { state: DeviceVisitState; pending: ZoneEvent[] },
    expectedVersion: number,
    expiresAt: number,
    dueAt?: number,
  ): Promise<number>;
}

/** What the sweeper needs besides `VisitStore`: the due devices, and dropping orphans. */
export interface DueVisitStore extends VisitStore {
  /**
   * Device ids of one `due` index shard whose `dueAt` ≤ `nowMs`, earliest first, at most `limit`
   * (a Query on the sparse index: only due items are read, never the table).
   */
  due(shard: string, nowMs: number, limit: number): Promise<DuePage>;
  /** Removes a visit item left without a live profile (only if still at `expectedVersion`). */
  discard(deviceId: string, expectedVersion: number): Promise<void>;
}
