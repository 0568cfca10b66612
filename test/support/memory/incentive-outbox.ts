/**
 * In-memory incentive outbox and device reader: the delivery side of the decision-store and
 * device-store ports, with the adapters' conditional semantics (a delivery is marked only from
 * `pending`, so a redelivered record changes nothing). Implements the port types: a port change
 * breaks them at typecheck.
 */
import type { Device } from "../../../shared/domain/device.ts";
import type { Incentive } from "../../../shared/domain/incentive.ts";
import type { DecisionStore } from "../../../shared/use-cases/ports/decision-store.ts";
import type { DeviceStore } from "../../../shared/use-cases/ports/device-store.ts";

/** Incentives by id; reads return copies, as a table read does. */
export class MemoryIncentiveOutbox implements Pick<DecisionStore, "getIncentive" | "markDelivery"> {
  readonly incentives = new Map<string, Incentive>();

  constructor(initial: readonly Incentive[] = []) {
    for (const incentive of initial) this.incentives.set(incentive.incentiveId, { ...incentive });
  }

  async getIncentive(incentiveId: string): Promise<Incentive | undefined> {
    const found = this.incentives.get(incentiveId);
    return found ? { ...found } : undefined;
  }

  async markDelivery(
    incentiveId: string,
    status: "sent" | "failed" | "withheld",
    at: number,
    detail?: string,
  ): Promise<boolean> {
    const current = this.incentives.get(incentiveId);
    if (current?.status !== "pending") return false;
    this.incentives.set(incentiveId, {
      ...current,
      status,
      ...(status === "sent" ? { sentAt: at } : { lastError: detail ?? "failed" }),
    });
    return true;
  }
}

/** Devices by id (the read the delivery needs). */
export class MemoryDeviceReader implements Pick<DeviceStore, "get"> {
  readonly devices = new Map<string, Device>();

  constructor(initial: readonly Device[] = []) {
    for (const device of initial) this.devices.set(device.deviceId, device);
  }

  async get(deviceId: string): Promise<Device | undefined> {
    return this.devices.get(deviceId);
  }
}
