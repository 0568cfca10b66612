import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  InvalidParameterException,
  NotFoundException,
  SetEndpointAttributesCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { snsPushRegistry } from "../../../shared/adapters/sns/push-registry.ts";
import type { Device } from "../../../shared/domain/device.ts";
import { deviceRecord } from "../../support/device-record.ts";

const APNS_APP = "arn:aws:sns:eu-west-3:123456789012:app/APNS/footfall-ios";
const FCM_APP = "arn:aws:sns:eu-west-3:123456789012:app/GCM/footfall-android";
const APNS_ENDPOINT = "arn:aws:sns:eu-west-3:123456789012:endpoint/APNS/footfall-ios/1111-aaaa";
const APNS_ENDPOINT_2 = "arn:aws:sns:eu-west-3:123456789012:endpoint/APNS/footfall-ios/2222-bbbb";
const FCM_ENDPOINT = "arn:aws:sns:eu-west-3:123456789012:endpoint/GCM/footfall-android/3333-cccc";

const sns = new SNSClient({ region: "eu-west-3" });
const snsMock = mockClient(sns);

const device = (overrides: Partial<Device> = {}) =>
  deviceRecord({ deviceId: "dev_unit_1", ...overrides });

const notFound = () => new NotFoundException({ message: "Endpoint does not exist", $metadata: {} });
const calls = (command: Parameters<typeof snsMock.commandCalls>[0]) =>
  snsMock.commandCalls(command).map((c) => c.args[0].input);

beforeEach(() => {
  snsMock.reset();
});

/** Every endpoint reads back from SNS with `token`, enabled or not. */
function endpointReads(token: string, enabled = true) {
  snsMock
    .on(GetEndpointAttributesCommand)
    .resolves({ Attributes: { Token: token, Enabled: String(enabled) } });
}

/** SNS creates (or finds) endpoint `arn`, which then reads back with `token`, enabled or not. */
function createdEndpoint(arn: string, token: string, enabled: boolean) {
  snsMock.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: arn });
  endpointReads(token, enabled);
}

/** The one attribute write that enables the stored endpoint with `token`. */
const enabledWith = (token: string) => [
  { EndpointArn: APNS_ENDPOINT, Attributes: { Token: token, Enabled: "true" } },
];

describe("snsPushRegistry.sync", () => {
  const registry = snsPushRegistry(sns, {
    apnsPlatformApplicationArn: APNS_APP,
    fcmPlatformApplicationArn: FCM_APP,
  });

  it("creates an endpoint under the platform's application with the token and device id", async () => {
    createdEndpoint(APNS_ENDPOINT, "apns-token-0001", true);
    expect(await registry.sync(device())).toBe(APNS_ENDPOINT);
    expect(calls(CreatePlatformEndpointCommand)).toEqual([
      { PlatformApplicationArn: APNS_APP, Token: "apns-token-0001", CustomUserData: "dev_unit_1" },
    ]);
    expect(calls(SetEndpointAttributesCommand)).toEqual([]);

    createdEndpoint(FCM_ENDPOINT, "fcm-token-1", true);
    expect(await registry.sync(device({ platform: "android", pushToken: "fcm-token-1" }))).toBe(
      FCM_ENDPOINT,
    );
    expect(calls(CreatePlatformEndpointCommand)[1]).toMatchObject({
      PlatformApplicationArn: FCM_APP,
    });
  });

  it("re-enables an endpoint that the created one turned out to be (known token, disabled)", async () => {
    createdEndpoint(APNS_ENDPOINT, "apns-token-0001", false);
    expect(await registry.sync(device())).toBe(APNS_ENDPOINT);
    expect(calls(SetEndpointAttributesCommand)).toEqual(enabledWith("apns-token-0001"));
  });

  it("updates the token of the stored endpoint without creating another one", async () => {
    endpointReads("apns-token-old");
    const result = await registry.sync(
      device({ pushEndpointArn: APNS_ENDPOINT, pushToken: "apns-token-new" }),
    );
    expect(result).toBe(APNS_ENDPOINT);
    expect(calls(CreatePlatformEndpointCommand)).toEqual([]);
    expect(calls(SetEndpointAttributesCommand)).toEqual(enabledWith("apns-token-new"));
  });

  it("leaves a healthy endpoint alone", async () => {
    endpointReads("apns-token-0001");
    expect(await registry.sync(device({ pushEndpointArn: APNS_ENDPOINT }))).toBe(APNS_ENDPOINT);
    expect(snsMock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "GetEndpointAttributesCommand",
    ]);
  });

  it("creates the endpoint again when SNS deleted the stored one", async () => {
    snsMock
      .on(GetEndpointAttributesCommand, { EndpointArn: APNS_ENDPOINT })
      .rejects(notFound())
      .on(GetEndpointAttributesCommand, { EndpointArn: APNS_ENDPOINT_2 })
      .resolves({ Attributes: { Token: "apns-token-0001", Enabled: "true" } });
    snsMock.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: APNS_ENDPOINT_2 });
    expect(await registry.sync(device({ pushEndpointArn: APNS_ENDPOINT }))).toBe(APNS_ENDPOINT_2);
    expect(calls(CreatePlatformEndpointCommand)).toHaveLength(1);
  });

  it("gives up instead of looping when a fresh endpoint is not found either", async () => {
    snsMock.on(GetEndpointAttributesCommand).rejects(notFound());
    snsMock.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: APNS_ENDPOINT_2 });
    await expect(registry.sync(device({ pushEndpointArn: APNS_ENDPOINT }))).rejects.toThrow(
      /disappeared/,
    );
    expect(calls(CreatePlatformEndpointCommand)).toHaveLength(1);
    expect(calls(GetEndpointAttributesCommand)).toHaveLength(2);
  });

  it("adopts the endpoint SNS names when the token already has one with other attributes", async () => {
    snsMock.on(CreatePlatformEndpointCommand).rejects(
      new InvalidParameterException({
        message: `Invalid parameter: Token Reason: Endpoint ${APNS_ENDPOINT_2} already exists with the same Token, but different attributes.`,
        $metadata: {},
      }),
    );
    endpointReads("apns-token-0001");
    expect(await registry.sync(device())).toBe(APNS_ENDPOINT_2);
    expect(calls(SetEndpointAttributesCommand)[0]).toEqual({
      EndpointArn: APNS_ENDPOINT_2,
      Attributes: { Token: "apns-token-0001", Enabled: "true", CustomUserData: "dev_unit_1" },
    });
  });

  it("passes other create errors through", async () => {
    snsMock
      .on(CreatePlatformEndpointCommand)
      .rejects(
        new InvalidParameterException({ message: "Invalid parameter: Token", $metadata: {} }),
      );
    await expect(registry.sync(device())).rejects.toThrow("Invalid parameter: Token");
  });

  it("replaces an endpoint of another platform application (sandbox → production)", async () => {
    const sandbox = "arn:aws:sns:eu-west-3:123456789012:endpoint/APNS_SANDBOX/footfall-ios/9999";
    snsMock.on(DeleteEndpointCommand).resolves({});
    createdEndpoint(APNS_ENDPOINT, "apns-token-0001", true);
    expect(await registry.sync(device({ pushEndpointArn: sandbox }))).toBe(APNS_ENDPOINT);
    expect(calls(DeleteEndpointCommand)).toEqual([{ EndpointArn: sandbox }]);
  });

  it("returns undefined without calling SNS for web devices, missing tokens or unconfigured platforms", async () => {
    expect(await registry.sync(device({ platform: "web" }))).toBeUndefined();
    expect(await registry.sync(device({ pushToken: undefined }))).toBeUndefined();
    const iosOnly = snsPushRegistry(sns, { apnsPlatformApplicationArn: APNS_APP });
    expect(await iosOnly.sync(device({ platform: "android" }))).toBeUndefined();
    const none = snsPushRegistry(sns, {
      apnsPlatformApplicationArn: "",
      fcmPlatformApplicationArn: undefined,
    });
    expect(await none.sync(device())).toBeUndefined();
    expect(snsMock.calls()).toHaveLength(0);
  });
});

describe("snsPushRegistry.remove", () => {
  const registry = snsPushRegistry(sns, { apnsPlatformApplicationArn: APNS_APP });

  it("deletes the endpoint, and treats an already deleted one as done", async () => {
    snsMock.on(DeleteEndpointCommand).resolvesOnce({}).rejectsOnce(notFound());
    await registry.remove(APNS_ENDPOINT);
    await registry.remove(APNS_ENDPOINT);
    expect(calls(DeleteEndpointCommand)).toEqual([
      { EndpointArn: APNS_ENDPOINT },
      { EndpointArn: APNS_ENDPOINT },
    ]);
  });

  it("surfaces other failures so erasure is not reported done", async () => {
    snsMock
      .on(DeleteEndpointCommand)
      .rejects(Object.assign(new Error("boom"), { name: "InternalErrorException" }));
    await expect(registry.remove(APNS_ENDPOINT)).rejects.toThrow("boom");
  });
});
