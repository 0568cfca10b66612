import {
  InternalErrorException,
  InvalidParameterException,
  KMSThrottlingException,
  ThrottledException,
} from "@aws-sdk/client-sns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IncentiveChannels } from "../../../shared/adapters/sns/incentive-channels.ts";
import { pushPayload } from "../../../shared/adapters/sns/incentive-channels.ts";
import type { Device } from "../../../shared/domain/device.ts";
import type { Incentive, IncentiveMessage } from "../../../shared/domain/incentive.ts";
import {
  type DeliveryDeps,
  deliverIncentive,
  isPermanentError,
} from "../../../shared/use-cases/incentives/deliver.ts";
import { deviceRecord } from "../../support/device-record.ts";
import {
  MemoryDeviceReader,
  MemoryIncentiveOutbox,
} from "../../support/memory/incentive-outbox.ts";

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const throttled = () => new ThrottledException({ message: "Rate exceeded", ...meta(429) });
const throttling400 = () =>
  Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", ...meta(400) });
const internal = () => new InternalErrorException({ message: "internal", ...meta(500) });
const invalid = () => new InvalidParameterException({ message: "Invalid parameter", ...meta(400) });

function pending(overrides: Partial<Incentive> = {}): Incentive {
  return {
    incentiveId: "inc_unit",
    merchantId: "m_1",
    offerId: "of_1",
    storeId: "st_1",
    deviceId: "dev_1",
    outcome: "sent",
    status: "pending",
    code: "K7QXM4PR9T",
    codeKind: "unique",
    title: "10% off",
    body: "Show this code",
    triggerType: "entered",
    zoneId: "tz.of_1.st_1",
    grantedAt: Date.UTC(2026, 10, 24, 12),
    expiresAtMs: Date.UTC(2026, 10, 26, 12),
    attributionWindowHours: 24,
    ...overrides,
  };
}

const device = (overrides: Partial<Device> = {}) =>
  deviceRecord({
    pushEndpointArn: "arn:aws:sns:eu-west-3:123456789012:endpoint/APNS/app/1",
    ...overrides,
  });

type Outcome = "ok" | (() => Error);

/** The in-memory outbox and devices (test/support/memory/), and channels that record calls. */
function harness(options: {
  incentive?: Incentive | undefined;
  device?: Device | undefined;
  publish?: Outcome[];
  push?: Outcome;
  deviceRead?: () => Error;
  maxAttempts?: number;
}) {
  const log: string[] = [];
  const published: IncentiveMessage[] = [];
  const pushed: { endpointArn: string; message: IncentiveMessage }[] = [];
  const deadLetters: Record<string, unknown>[] = [];
  const delays: number[] = [];
  const outbox = new MemoryIncentiveOutbox(options.incentive ? [options.incentive] : []);
  const state = {
    get incentive() {
      return options.incentive ? outbox.incentives.get(options.incentive.incentiveId) : undefined;
    },
  };
  const known = "device" in options ? options.device : device();
  const devices = new MemoryDeviceReader(known ? [known] : []);
  const outcomes = [...(options.publish ?? [])];
  const channels: IncentiveChannels = {
    async publishTopic(message) {
      log.push("publish");
      const next = outcomes.shift() ?? "ok";
      if (next !== "ok") throw next();
      published.push(message);
      return `msg-${published.length}`;
    },
    async push(endpointArn, message) {
      log.push("push");
      if (options.push && options.push !== "ok") throw options.push();
      pushed.push({ endpointArn, message });
    },
    async deadLetter(payload) {
      log.push("deadLetter");
      deadLetters.push(payload);
    },
  };
  const deps: DeliveryDeps = {
    store: {
      getIncentive: (id) => outbox.getIncentive(id),
      async markDelivery(id, status, at, detail) {
        log.push(`mark:${status}`);
        return outbox.markDelivery(id, status, at, detail);
      },
    },
    devices: {
      async get(id) {
        log.push("device");
        if (options.deviceRead) throw options.deviceRead();
        return devices.get(id);
      },
    },
    channels,
    clock: { now: () => Date.UTC(2026, 10, 24, 12, 0, 5) },
    deviceRef: (deviceId, merchantId) => `ref(${deviceId},${merchantId})`,
    sleep: async (ms) => {
      delays.push(ms);
    },
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: 100,
  };
  return { deps, log, published, pushed, deadLetters, delays, state };
}

describe("isPermanentError", () => {
  it.each([
    ["InvalidParameterException", invalid(), true],
    [
      "AuthorizationErrorException",
      Object.assign(new Error("no"), { name: "AuthorizationErrorException", ...meta(403) }),
      true,
    ],
    [
      "an unknown 4xx",
      Object.assign(new Error("bad"), { name: "SomethingWrong", ...meta(400) }),
      true,
    ],
    ["ThrottledException 429", throttled(), false],
    ["ThrottlingException 400", throttling400(), false],
    [
      "KMSThrottlingException 400",
      new KMSThrottlingException({ message: "slow down", ...meta(400) }),
      false,
    ],
    ["InternalErrorException 500", internal(), false],
    [
      "a 408 timeout",
      Object.assign(new Error("timeout"), { name: "RequestTimeout", ...meta(408) }),
      false,
    ],
    [
      "a retryable 4xx",
      Object.assign(new Error("x"), { name: "X", $retryable: {}, ...meta(400) }),
      false,
    ],
    [
      "a network error without metadata",
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      false,
    ],
  ])("%s → %s", (_label, error, permanent) => {
    expect(isPermanentError(error)).toBe(permanent);
  });
});

describe("deliverIncentive", () => {
  it("retries transient publish errors with exponential backoff, then sends once", async () => {
    const h = harness({ incentive: pending(), publish: [throttled, internal, throttling400] });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("sent");
    expect(h.delays).toEqual([100, 200, 400]);
    expect(h.published).toHaveLength(1);
    expect(h.state.incentive?.status).toBe("sent");
    expect(h.deadLetters).toEqual([]);
  });

  it("throws after maxAttempts so the stream record is retried, leaving the incentive pending", async () => {
    const h = harness({
      incentive: pending(),
      publish: [throttled, throttled, throttled, throttled],
    });
    await expect(deliverIncentive(h.deps, "inc_unit")).rejects.toMatchObject({
      name: "ThrottledException",
    });
    expect(h.log.filter((l) => l === "publish")).toHaveLength(4);
    expect(h.delays).toEqual([100, 200, 400]);
    expect(h.state.incentive?.status).toBe("pending");
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("sent");
    expect(h.published).toHaveLength(1);
  });

  it("dead-letters a permanent failure before marking it failed, without retrying", async () => {
    const h = harness({ incentive: pending(), publish: [invalid] });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("failed");
    expect(h.log).toEqual(["device", "publish", "deadLetter", "mark:failed"]);
    expect(h.deadLetters).toEqual([
      expect.objectContaining({
        incentiveId: "inc_unit",
        merchantId: "m_1",
        offerId: "of_1",
        reason: "InvalidParameterException",
      }),
    ]);
    expect(h.state.incentive).toMatchObject({
      status: "failed",
      lastError: "InvalidParameterException",
    });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("skipped");
  });

  it("never publishes a message that breaks the schema (a static offer without its code)", async () => {
    const h = harness({ incentive: pending({ code: undefined, codeKind: "static" }) });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("failed");
    expect(h.log).not.toContain("publish");
    expect(h.deadLetters[0]).toMatchObject({
      reason: "InvalidMessage",
      detail: expect.stringContaining("redemption/code"),
    });
  });

  it("skips what is not a pending sent incentive", async () => {
    for (const incentive of [
      undefined,
      pending({ status: "sent" }),
      pending({ status: "failed" }),
      pending({ outcome: "held_out", status: "held_out", code: undefined }),
    ]) {
      const h = harness({ incentive });
      expect(await deliverIncentive(h.deps, "inc_unit")).toBe("skipped");
      expect(h.log).toEqual([]);
    }
  });

  it("reads the device before publishing, so a failed read is retried without a publish", async () => {
    const h = harness({
      incentive: pending(),
      deviceRead: () =>
        Object.assign(new Error("throughput"), { name: "ProvisionedThroughputExceededException" }),
    });
    await expect(deliverIncentive(h.deps, "inc_unit")).rejects.toThrow("throughput");
    expect(h.log).toEqual(["device"]);
    expect(h.state.incentive?.status).toBe("pending");
  });

  it("pushes to the device's endpoint only with an endpoint and marketing consent", async () => {
    const cases: [Device | undefined, number, number, string][] = [
      [device(), 1, 1, "sent"],
      [device({ pushEndpointArn: undefined }), 1, 0, "sent"],
      // Consent withdrawn or device erased after the decision: no topic message, no push.
      [device({ consent: { location: true, marketing: false } }), 0, 0, "withheld"],
      [device({ erasingAt: Date.UTC(2026, 10, 24, 12) }), 0, 0, "withheld"],
      [undefined, 0, 0, "withheld"],
    ];
    for (const [d, topic, expected, result] of cases) {
      const h = harness({ incentive: pending(), device: d });
      expect(await deliverIncentive(h.deps, "inc_unit")).toBe(result);
      expect(h.published).toHaveLength(topic);
      expect(h.pushed).toHaveLength(expected);
      if (expected) expect(h.pushed[0]?.endpointArn).toBe(d?.pushEndpointArn);
      expect(h.state.incentive?.status).toBe(result);
    }
  });

  it("withholds a code that expired before it could be sent (a late stream record)", async () => {
    const h = harness({ incentive: pending({ expiresAtMs: Date.UTC(2026, 10, 24, 12, 0, 5) }) });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("withheld");
    expect(h.published).toEqual([]);
    expect(h.state.incentive?.lastError).toBe("code_expired");
  });

  it("still counts the incentive sent when the push fails (the topic is the record)", async () => {
    const h = harness({
      incentive: pending(),
      device: device(),
      push: () => Object.assign(new Error("disabled"), { name: "EndpointDisabledException" }),
    });
    expect(await deliverIncentive(h.deps, "inc_unit")).toBe("sent");
    expect(h.state.incentive?.status).toBe("sent");
  });

  it("uses a pseudonymous device reference, never the raw device id", async () => {
    const h = harness({ incentive: pending() });
    await deliverIncentive(h.deps, "inc_unit");
    expect(h.published[0]?.deviceRef).toBe("ref(dev_1,m_1)");
    expect(JSON.stringify(h.published[0])).not.toContain('"dev_1"');
    const erased = harness({ incentive: pending({ deviceId: undefined }) });
    expect(await deliverIncentive(erased.deps, "inc_unit")).toBe("withheld");
    expect(erased.published).toEqual([]);
  });

  it("under any sequence of SNS answers and stream retries: at most one publish, never both sent and dead-lettered", async () => {
    const answer = fc.constantFrom<Outcome>("ok", throttled, internal, throttling400, invalid);
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (answers, maxAttempts) => {
          const h = harness({ incentive: pending(), publish: answers, maxAttempts });
          // The event source redelivers the record until the handler stops throwing (bounded here).
          let result: string | undefined;
          for (let delivery = 0; delivery < 20 && result === undefined; delivery++) {
            result = await deliverIncentive(h.deps, "inc_unit").catch(() => undefined);
          }
          // A redelivery after the outcome changes nothing.
          expect(await deliverIncentive(h.deps, "inc_unit")).toBe("skipped");
          expect(h.published.length + h.deadLetters.length).toBe(1);
          expect(h.state.incentive?.status).toBe(h.published.length === 1 ? "sent" : "failed");
          const firstFinal = answers.findIndex((a) => a === "ok" || a === invalid);
          expect(h.published.length).toBe(
            firstFinal === -1 || answers[firstFinal] === "ok" ? 1 : 0,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("pushPayload", () => {
  it("carries APNs and FCM payloads with the code in custom data", () => {
    const message = {
      schemaVersion: "1.0",
      eventType: "incentive.sent",
      incentiveId: "inc_1",
      merchantId: "m_1",
      offerId: "of_1",
      storeId: "st_1",
      deviceRef: "r",
      trigger: "entered",
      grantedAt: "2026-11-24T12:00:00.000Z",
      redemption: { code: "K7QXM4PR9T", kind: "unique" },
      message: { title: "10% off", body: "Show this code", deepLink: "app://o/1" },
    } as const satisfies IncentiveMessage;
    const payload = JSON.parse(pushPayload(message));
    expect(Object.keys(payload).sort()).toEqual(["APNS", "APNS_SANDBOX", "GCM", "default"]);
    expect(JSON.parse(payload.APNS)).toEqual({
      aps: { alert: { title: "10% off", body: "Show this code" } },
      incentiveId: "inc_1",
      offerId: "of_1",
      code: "K7QXM4PR9T",
      deepLink: "app://o/1",
    });
    expect(JSON.parse(payload.GCM)).toEqual({
      notification: { title: "10% off", body: "Show this code" },
      data: { incentiveId: "inc_1", offerId: "of_1", code: "K7QXM4PR9T", deepLink: "app://o/1" },
    });
  });
});
