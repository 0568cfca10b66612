import type { Device } from "../../shared/domain/device.ts";

/**
 * A stored device profile: an iOS install with an APNs token, location and marketing consent,
 * no segments, version 1. `overrides` replace any field.
 */
export function deviceRecord(overrides: Partial<Device> = {}): Device {
  return {
    deviceId: "dev_1",
    appId: "app_1",
    platform: "ios",
    pushToken: "apns-token-0001",
    consent: { location: true, marketing: true },
    segments: [],
    version: 1,
    createdAt: "2026-11-24T12:00:00.000Z",
    updatedAt: "2026-11-24T12:00:00.000Z",
    ...overrides,
  };
}
