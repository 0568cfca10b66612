import { devicePrincipalOf } from "../../auth/principal.ts";
import { forEachLimit } from "../../concurrency.ts";
import type { Device } from "../../domain/device.ts";
import { deviceKeys } from "../../domain/device.ts";
import { expireVisits, nextDueAt, visitTtlSeconds } from "../../domain/visit/index.ts";
import type { VisitRules } from "../../domain/visit/rules.ts";
import type { ExitedEvent } from "../../domain/visit/types.ts";
import type { Clock } from "../../ports.ts";
import { DeviceErased, type DueVisitStore, VisitStateConflict } from "../ports/visit-store.ts";
import type { ZoneEventSink } from "./ingest-pings.ts";

/** Port: the device profiles, read fresh (consent and erasure as they are now). */
export interface ProfileReader {
  get(deviceId: string): Promise<Device | undefined>;
}

export interface SweepDeps {
  visits: DueVisitStore;
  profiles: ProfileReader;
  sink: ZoneEventSink;
  rules: VisitRules;
  clock: Clock;
  /** Called once per visit the sweep closes (logging; never raw device ids). */
  onExit?: (event: ExitedEvent) => void;
  /** Due devices read per shard and sweep (bounds one run; the rest waits for the next). */
  pageSize?: number;
  /** Devices processed concurrently. */
  concurrency?: number;
}

export interface SweepResult {
  /** Items the sweep read: due-index entries plus the visit and profile item of each device. */
  itemsRead: number;
  devices: number;
  /** Events handed to the decision step (outboxes left by a crash, and timeout exits). */
  handedOn: number;
  /** Visits closed because the device went silent (`exited`, reason `timeout`). */
  exits: number;
  /** Devices skipped because a ping batch saved their state meanwhile (it hands them on). */
  conflicts: number;
  /** Visit items dropped because the device was erased or is being erased. */
  discarded: number;
}

/**
 * The decision step's view of a device, from its stored profile (see `devicePrincipalOf`):
 * re-exported under the name the pickup use cases import.
 */
export const principalOf = devicePrincipalOf;

/**
 * The sweeper behind the ping path, run on a schedule (every minute in AWS, every few seconds
 * locally). It reads only the devices whose visit item is due in the sparse `due` index, never the
 * table, and for each one:
 * - closes visits with no inside ping for `exitTimeoutS` (a phone that went silent inside a zone),
 *   dated at the last inside ping, exactly as a later ping would have; the open-visit count on the
 *   profile is corrected;
 * - hands every event of the per-device outbox to the decision step — events a crash stranded
 *   between the state save and the hand-off, whether or not the device ever pings again.
 * The decision step is idempotent per event (a conditional claim per event), so an event handed on
 * both by a ping batch and by the sweep is decided exactly once.
 */
export async function sweepDueVisits(deps: SweepDeps): Promise<SweepResult> {
  const now = deps.clock.now();
  const pageSize = deps.pageSize ?? 250;
  const result: SweepResult = {
    itemsRead: 0,
    devices: 0,
    handedOn: 0,
    exits: 0,
    conflicts: 0,
    discarded: 0,
  };
  const deviceIds: string[] = [];
  for (const shard of deviceKeys.dueShards()) {
    const page = await deps.visits.due(shard, now, pageSize);
    result.itemsRead += page.itemsRead;
    deviceIds.push(...page.deviceIds);
  }
  await forEachLimit(deviceIds, deps.concurrency ?? 8, async (deviceId) => {
    result.devices++;
    const [stored, profile] = await Promise.all([
      deps.visits.load(deviceId),
      deps.profiles.get(deviceId),
    ]);
    result.itemsRead += 2;
    if (!stored.state) return;
    if (!profile || profile.erasingAt !== undefined) {
      // Nothing is decided for an erased device; its erasure removes the partition.
      if (!profile) {
        await deps.visits.discard(deviceId, stored.version);
        result.discarded++;
      }
      return;
    }
    const expired = expireVisits(stored.state, now, deps.rules);
    const outbox = [...stored.pending, ...expired.events];
    let version = stored.version;
    const ttl = visitTtlSeconds(expired.state, deps.rules);
    try {
      if (expired.changed) {
        version = await deps.visits.save(
          deviceId,
          { state: expired.state, pending: outbox },
          version,
          ttl,
          nextDueAt(expired.state, outbox.length, now, deps.rules),
        );
        for (const exit of expired.events) deps.onExit?.(exit);
        result.exits += expired.events.length;
      }
      if (outbox.length > 0) {
        await deps.sink.handle(principalOf(profile), outbox, now);
        result.handedOn += outbox.length;
      }
      await deps.visits.save(
        deviceId,
        { state: expired.state, pending: [] },
        version,
        ttl,
        nextDueAt(expired.state, 0, now, deps.rules),
      );
    } catch (error) {
      // A ping batch saved meanwhile: its outbox carries these events and it hands them on.
      if (error instanceof VisitStateConflict || error instanceof DeviceErased) {
        result.conflicts++;
        return;
      }
      throw error;
    }
  });
  return result;
}
