/** Port: DeviceStore (implemented by shared/adapters/dynamo/device-store.ts). */
import type { Device } from "../../domain/device.ts";

/** Port: where device profiles live. */
export interface DeviceStore {
  get(deviceId: string): Promise<Device | undefined>;
  create(device: Device): Promise<void>;
  /** Replaces the profile only if it is still at `expectedVersion` (optimistic lock). */
  replace(device: Device, expectedVersion: number): Promise<void>;
  /**
   * Marks the profile as being erased (`erasingAt`): from then on no write creates anything for
   * the device (see `profileLiveCheck`). Idempotent; false when there is no profile.
   */
  markErasing(deviceId: string, at: number): Promise<boolean>;
  /** Deletes every item in the device's partition; returns how many were deleted. */
  erase(deviceId: string): Promise<number>;
}
