import {
  CreatePlatformEndpointCommand,
  type CreatePlatformEndpointCommandInput,
  DeleteEndpointCommand,
  type DeleteEndpointCommandInput,
  GetEndpointAttributesCommand,
  type GetEndpointAttributesCommandInput,
  NotFoundException,
  PublishCommand,
  SetEndpointAttributesCommand,
  type SetEndpointAttributesCommandInput,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoDecisionStore } from "../../../shared/adapters/dynamo/decision-store.ts";
import { dynamoDeviceStore } from "../../../shared/adapters/dynamo/device-store.ts";
import { snsIncentiveChannels } from "../../../shared/adapters/sns/incentive-channels.ts";
import { systemClock } from "../../../shared/adapters/system.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { pseudonymize } from "../../../shared/privacy.ts";
import { deliverIncentive } from "../../../shared/use-cases/incentives/deliver.ts";
import { createTestAppKey } from "../../support/app-keys.ts";
import { env, testClients } from "../../support/aws.ts";
import { bodyOf, httpEvent, lambdaContext, registrationEvent } from "../../support/http-events.ts";
import { overrideEnv, putPendingIncentive } from "./messaging.ts";

const APNS_APP = "arn:aws:sns:us-east-1:000000000000:app/APNS/footfall-test-ios";
const FCM_APP = "arn:aws:sns:us-east-1:000000000000:app/GCM/footfall-test-android";
const TOPIC = "arn:aws:sns:us-east-1:000000000000:footfall-test-incentives";

/** fauxqs has no platform endpoints: a small in-memory SNS platform stands in, behind the mock. */
interface FakeEndpoint {
  application: string;
  token: string;
  enabled: boolean;
  userData: string | undefined;
}
const endpoints = new Map<string, FakeEndpoint>();
let nextEndpoint = 0;
const notFound = () => new NotFoundException({ message: "Endpoint does not exist", $metadata: {} });

const snsMock = mockClient(SNSClient);
function installFakePlatform() {
  snsMock.reset();
  snsMock
    .on(CreatePlatformEndpointCommand)
    .callsFake((input: CreatePlatformEndpointCommandInput) => {
      // Idempotent per token, as SNS is.
      for (const [arn, e] of endpoints) {
        if (e.application === input.PlatformApplicationArn && e.token === input.Token)
          return { EndpointArn: arn };
      }
      nextEndpoint += 1;
      const arn = `${input.PlatformApplicationArn?.replace(":app/", ":endpoint/")}/ep-${nextEndpoint}`;
      endpoints.set(arn, {
        application: input.PlatformApplicationArn ?? "",
        token: input.Token ?? "",
        enabled: true,
        userData: input.CustomUserData,
      });
      return { EndpointArn: arn };
    });
  snsMock.on(GetEndpointAttributesCommand).callsFake((input: GetEndpointAttributesCommandInput) => {
    const e = endpoints.get(input.EndpointArn ?? "");
    if (!e) throw notFound();
    return {
      Attributes: { Token: e.token, Enabled: String(e.enabled), CustomUserData: e.userData ?? "" },
    };
  });
  snsMock.on(SetEndpointAttributesCommand).callsFake((input: SetEndpointAttributesCommandInput) => {
    const e = endpoints.get(input.EndpointArn ?? "");
    if (!e) throw notFound();
    if (input.Attributes?.Token) e.token = input.Attributes.Token;
    if (input.Attributes?.Enabled) e.enabled = input.Attributes.Enabled === "true";
    return {};
  });
  snsMock.on(DeleteEndpointCommand).callsFake((input: DeleteEndpointCommandInput) => {
    endpoints.delete(input.EndpointArn ?? "");
    return {};
  });
  snsMock.on(PublishCommand).resolves({ MessageId: "mocked" });
}

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;
let register: Handler;
let update: Handler;
let erase: Handler;
let appKey: string;
let restoreEnv: () => void;
const devices = () => dynamoDeviceStore(documentClient, env("DEVICES_TABLE"));

beforeAll(async () => {
  restoreEnv = overrideEnv({
    APNS_PLATFORM_APPLICATION_ARN: APNS_APP,
    FCM_PLATFORM_APPLICATION_ARN: FCM_APP,
  });
  // Device functions read the platform applications at load, as at a cold start.
  register = (await import("../../../functions/device-register.ts")).handler as unknown as Handler;
  update = (await import("../../../functions/device-update.ts")).handler as unknown as Handler;
  erase = (await import("../../../functions/device-erase.ts")).handler as unknown as Handler;
  ({ appKey } = await createTestAppKey("Push test app"));
});

afterAll(() => {
  snsMock.restore();
  restoreEnv?.();
});

beforeEach(() => {
  installFakePlatform();
});

async function registerDevice(body: Record<string, unknown>) {
  const res = await register(registrationEvent(appKey, body), lambdaContext);
  expect(res.statusCode).toBe(201);
  return bodyOf<{ device: { deviceId: string } }>(res).device.deviceId;
}

async function patch(deviceId: string, body: Record<string, unknown>) {
  const res = await update(
    httpEvent({ method: "PATCH", path: "/v1/devices/me", body, device: { deviceId } }),
    lambdaContext,
  );
  expect(res.statusCode).toBe(200);
}

const inputs = (command: Parameters<typeof snsMock.commandCalls>[0]) =>
  snsMock.commandCalls(command).map((c) => c.args[0].input as Record<string, unknown>);
const endpointOf = async (deviceId: string) => (await devices().get(deviceId))?.pushEndpointArn;

describe("push endpoints follow the device registry (SNS platform applications, mocked)", () => {
  it("registering with a push token creates an endpoint under the platform's application", async () => {
    const iosId = await registerDevice({ pushToken: "apns-token-ios-0001" });
    expect(inputs(CreatePlatformEndpointCommand)).toEqual([
      { PlatformApplicationArn: APNS_APP, Token: "apns-token-ios-0001", CustomUserData: iosId },
    ]);
    const iosEndpoint = await endpointOf(iosId);
    expect(iosEndpoint).toMatch(/:endpoint\/APNS\/footfall-test-ios\//);

    const androidId = await registerDevice({
      platform: "android",
      pushToken: "fcm-token-android-0001",
    });
    expect(inputs(CreatePlatformEndpointCommand)[1]).toEqual({
      PlatformApplicationArn: FCM_APP,
      Token: "fcm-token-android-0001",
      CustomUserData: androidId,
    });
    expect(await endpointOf(androidId)).toMatch(/:endpoint\/GCM\//);
  });

  it("creates nothing without a token, without marketing consent, or for web devices", async () => {
    const ids = [
      await registerDevice({}),
      await registerDevice({
        pushToken: "apns-token-ios-0002",
        consent: { location: true, marketing: false },
      }),
      await registerDevice({ platform: "web", pushToken: "web-push-token-0001" }),
    ];
    expect(snsMock.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(0);
    for (const id of ids) expect(await endpointOf(id)).toBeUndefined();
  });

  it("a new token updates the same endpoint (SetEndpointAttributes), no second endpoint", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0003" });
    const arn = await endpointOf(id);
    await patch(id, { pushToken: "apns-token-ios-0003-new" });
    expect(inputs(SetEndpointAttributesCommand)).toEqual([
      { EndpointArn: arn, Attributes: { Token: "apns-token-ios-0003-new", Enabled: "true" } },
    ]);
    expect(snsMock.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(1);
    expect(await endpointOf(id)).toBe(arn);
    expect(endpoints.get(arn ?? "")?.token).toBe("apns-token-ios-0003-new");
  });

  it("a disabled endpoint is re-enabled on the next update; a deleted one is created again", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0004" });
    const arn = await endpointOf(id);
    const endpoint = endpoints.get(arn ?? "");
    if (!endpoint) throw new Error("endpoint missing");
    endpoint.enabled = false; // APNs reported the token invalid
    await patch(id, { locale: "fr-FR" });
    expect(inputs(SetEndpointAttributesCommand)).toEqual([
      { EndpointArn: arn, Attributes: { Token: "apns-token-ios-0004", Enabled: "true" } },
    ]);
    expect(endpoints.get(arn ?? "")?.enabled).toBe(true);

    endpoints.delete(arn ?? "");
    await patch(id, { locale: "en-GB" });
    const recreated = await endpointOf(id);
    expect(recreated).toBeDefined();
    expect(recreated).not.toBe(arn);
    expect(endpoints.has(recreated ?? "")).toBe(true);
  });

  it("withdrawing marketing consent deletes the endpoint; consenting again creates one", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0005" });
    const arn = await endpointOf(id);
    await patch(id, { consent: { marketing: false } });
    expect(inputs(DeleteEndpointCommand)).toEqual([{ EndpointArn: arn }]);
    expect(await endpointOf(id)).toBeUndefined();
    expect(endpoints.has(arn ?? "")).toBe(false);

    await patch(id, { consent: { marketing: true } });
    expect(snsMock.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(2);
    expect(await endpointOf(id)).toBeDefined();
  });

  it("removing the token deletes the endpoint", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0006" });
    const arn = await endpointOf(id);
    await patch(id, { pushToken: null });
    expect(inputs(DeleteEndpointCommand)).toEqual([{ EndpointArn: arn }]);
    expect(await endpointOf(id)).toBeUndefined();
  });

  it("erasing the device deletes its endpoint", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0007" });
    const arn = await endpointOf(id);
    const res = await erase(
      httpEvent({ method: "DELETE", path: "/v1/devices/me", device: { deviceId: id } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(204);
    expect(inputs(DeleteEndpointCommand)).toEqual([{ EndpointArn: arn }]);
    expect(endpoints.has(arn ?? "")).toBe(false);
    expect(await devices().get(id)).toBeUndefined();
  });
});

describe("delivery pushes to the device endpoint", () => {
  const { sqs } = testClients();
  const deliveryDeps = () => ({
    store: dynamoDecisionStore(documentClient, {
      devices: env("DEVICES_TABLE"),
      incentives: env("INCENTIVES_TABLE"),
      conversions: env("CONVERSIONS_TABLE"),
    }),
    devices: devices(),
    channels: snsIncentiveChannels(new SNSClient({}), sqs, { topicArn: TOPIC }),
    clock: systemClock,
    deviceRef: (deviceId: string, merchantId: string) =>
      pseudonymize(env("PSEUDONYM_KEY"), deviceId, merchantId),
    sleep: async () => undefined,
    maxAttempts: 2,
    baseDelayMs: 0,
  });
  const publishes = () => inputs(PublishCommand);

  it("sends APNs and FCM payloads to the endpoint of a consenting device, besides the topic", async () => {
    const id = await registerDevice({ pushToken: "apns-token-ios-0100" });
    const arn = await endpointOf(id);
    const incentive = await putPendingIncentive({
      deviceId: id,
      deepLink: "footfall-demo://offers/1",
    });
    expect(await deliverIncentive(deliveryDeps(), incentive.incentiveId)).toBe("sent");

    const [topic, push, ...rest] = publishes();
    expect(rest).toEqual([]);
    expect(topic).toMatchObject({ TopicArn: TOPIC });
    expect(push).toMatchObject({ TargetArn: arn, MessageStructure: "json" });
    const payload = JSON.parse(String(push?.Message));
    expect(JSON.parse(payload.APNS)).toMatchObject({
      aps: { alert: { title: incentive.title, body: incentive.body } },
      incentiveId: incentive.incentiveId,
      code: incentive.code,
      deepLink: "footfall-demo://offers/1",
    });
    expect(JSON.parse(payload.GCM)).toMatchObject({
      notification: { title: incentive.title, body: incentive.body },
      data: { incentiveId: incentive.incentiveId, code: incentive.code },
    });
    expect(payload.default).toContain(incentive.title);
  });

  it("publishes to the topic only without an endpoint; nothing at all once consent is withdrawn or the device is gone", async () => {
    const noToken = await registerDevice({});
    const withdrawn = await registerDevice({ pushToken: "apns-token-ios-0101" });
    const stored = await devices().get(withdrawn);
    if (!stored) throw new Error("device missing");
    // Consent withdrawn after the grant (endpoint still recorded): the push is skipped anyway.
    await devices().replace(
      { ...stored, consent: { ...stored.consent, marketing: false }, version: stored.version + 1 },
      stored.version,
    );
    const expected: [string, string, string[]][] = [
      [noToken, "sent", ["topic"]],
      [withdrawn, "withheld", []],
      ["dev_erased_meanwhile", "withheld", []],
    ];
    for (const [deviceId, result, sent] of expected) {
      snsMock.resetHistory();
      const incentive = await putPendingIncentive({ deviceId });
      expect(await deliverIncentive(deliveryDeps(), incentive.incentiveId)).toBe(result);
      expect(publishes().map((p) => (p.TopicArn ? "topic" : "push"))).toEqual(sent);
    }
  });
});
