import { audiencesOf } from "../domain/audience.ts";
import { capPartition } from "../domain/incentive.ts";
import type { AudienceReader } from "./audiences.ts";

/**
 * The merchant audiences a device belongs to at `nowMs` (merchant id → audiences), through its
 * person and the device itself: read only when `needed` (an offer at hand targets segments) and
 * a reader is wired; otherwise `undefined` (only the app's trusted segments then count). Serves
 * the decision and nearby offers alike.
 */
export async function deviceAudiences(
  reader: AudienceReader | undefined,
  device: { deviceId: string; personRef?: string | undefined },
  needed: boolean,
  nowMs: number,
): Promise<Map<string, Set<string>> | undefined> {
  if (!reader || !needed) return undefined;
  const partitions = [capPartition(device), capPartition({ deviceId: device.deviceId })];
  return audiencesOf(await reader.memberships(partitions), nowMs);
}
