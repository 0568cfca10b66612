import { describe, expect, it } from "vitest";
import { deviceDepsFromEnv } from "../../../shared/wiring/device-deps.ts";

const base = {
  DEVICES_TABLE: "devices",
  CATALOG_TABLE: "catalog",
  DEVICE_TOKEN_SECRETS: "s".repeat(43),
  AWS_REGION: "eu-west-3",
};

describe("device wiring: push registry only when a platform application is configured", () => {
  it("has no push registry without platform application ARNs (empty counts as unset)", () => {
    expect(deviceDepsFromEnv(base).push).toBeUndefined();
    expect(
      deviceDepsFromEnv({
        ...base,
        APNS_PLATFORM_APPLICATION_ARN: "",
        FCM_PLATFORM_APPLICATION_ARN: " ",
      }).push,
    ).toBeUndefined();
  });

  it("wires the SNS push registry when either ARN is set", () => {
    const apns = "arn:aws:sns:eu-west-3:123456789012:app/APNS/footfall";
    const sandbox = "arn:aws:sns:eu-west-3:123456789012:app/APNS_SANDBOX/footfall";
    const fcm = "arn:aws:sns:eu-west-3:123456789012:app/GCM/footfall";
    for (const extra of [
      { APNS_PLATFORM_APPLICATION_ARN: apns },
      { APNS_PLATFORM_APPLICATION_ARN: sandbox },
      { FCM_PLATFORM_APPLICATION_ARN: fcm },
    ]) {
      const push = deviceDepsFromEnv({ ...base, ...extra }).push;
      expect(push).toBeDefined();
      expect(typeof push?.sync).toBe("function");
    }
  });

  it("refuses an ARN of the wrong kind at cold start, naming the variable", () => {
    expect(() =>
      deviceDepsFromEnv({
        ...base,
        APNS_PLATFORM_APPLICATION_ARN: "arn:aws:sns:eu-west-3:123456789012:app/GCM/footfall",
      }),
    ).toThrow(/APNS_PLATFORM_APPLICATION_ARN: must be an SNS platform application ARN/);
    expect(() =>
      deviceDepsFromEnv({
        ...base,
        FCM_PLATFORM_APPLICATION_ARN: "arn:aws:sns:eu-west-3:123456789012:topic",
      }),
    ).toThrow(/FCM_PLATFORM_APPLICATION_ARN/);
  });
});
