import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AwsCallError, awsEndpoint, awsJsonCall } from "../../../shared/adapters/aws-json-call.ts";
import {
  AMAZON_LOCATION_ROUTES,
  amazonLocationCall,
  amazonLocationRoutes,
} from "../../../shared/adapters/location/route-calculator.ts";
import { secretsManagerGetSecretValue } from "../../../shared/config/load-secrets.ts";
import { type FakeAwsService, fakeAwsService, fakeCredentials } from "../../support/fake-aws.ts";

const REGION = "eu-west-1";
let secrets: FakeAwsService;
let location: FakeAwsService;

beforeAll(async () => {
  secrets = await fakeAwsService({ name: "secretsmanager", region: REGION });
  location = await fakeAwsService({ name: "geo", region: REGION });
});
afterAll(async () => {
  await secrets.close();
  await location.close();
});
afterEach(() => {
  secrets.calls.length = 0;
  location.calls.length = 0;
});

/** Secrets Manager's GetSecretValue through the signed call, pointed at the stand-in. */
function getSecretValue() {
  return secretsManagerGetSecretValue(
    { AWS_REGION: REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url },
    { credentials: fakeCredentials },
  );
}

describe("endpoints, as the SDK resolves them", () => {
  it("service variable, then the global one, then the regional host", () => {
    const env = { AWS_ENDPOINT_URL: "http://global:1/", AWS_ENDPOINT_URL_LOCATION: "http://l:2/" };
    expect(awsEndpoint(AMAZON_LOCATION_ROUTES, REGION, env)).toBe("http://l:2");
    expect(awsEndpoint(AMAZON_LOCATION_ROUTES, REGION, { AWS_ENDPOINT_URL: "http://g:1" })).toBe(
      "http://g:1",
    );
    expect(awsEndpoint(AMAZON_LOCATION_ROUTES, "eu-west-3", {})).toBe(
      "https://routes.geo.eu-west-3.amazonaws.com",
    );
    expect(awsEndpoint(AMAZON_LOCATION_ROUTES, "cn-north-1", {})).toBe(
      "https://routes.geo.cn-north-1.amazonaws.com.cn",
    );
  });
});

describe("Secrets Manager GetSecretValue (AWS JSON 1.1, signed with the SDK's signer)", () => {
  it("sends the operation as the service expects it and answers SecretString", async () => {
    secrets.answer(() => ({ body: { ARN: "arn:s", Name: "s", SecretString: "v".repeat(40) } }));
    await expect(getSecretValue()("arn:aws:secretsmanager:eu-west-1:1:secret:s")).resolves.toBe(
      "v".repeat(40),
    );
    expect(secrets.calls).toHaveLength(1);
    const [call] = secrets.calls;
    expect(call?.signatureValid).toBe(true);
    expect(call?.path).toBe("/");
    expect(call?.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(call?.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(call?.headers["x-amz-security-token"]).toBe("fake-session-token");
    expect(call?.body).toEqual({ SecretId: "arn:aws:secretsmanager:eu-west-1:1:secret:s" });
  });

  it("a binary secret comes back decoded", async () => {
    secrets.answer(() => ({ body: { SecretBinary: Buffer.from([1, 2, 255]).toString("base64") } }));
    const value = await getSecretValue()("arn:bin");
    expect([...(value as Uint8Array)]).toEqual([1, 2, 255]);
  });

  it("a service error is thrown under its error type, without retrying a client error", async () => {
    secrets.answer(() => ({
      status: 400,
      headers: { "x-amzn-errortype": "ResourceNotFoundException:http://internal.amazon.com/" },
      body: { __type: "ResourceNotFoundException", message: "Secrets Manager can't find it." },
    }));
    const error = await getSecretValue()("arn:missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).name).toBe("ResourceNotFoundException");
    expect((error as AwsCallError).message).toBe("Secrets Manager can't find it.");
    expect((error as AwsCallError).status).toBe(400);
    expect(secrets.calls).toHaveLength(1);
  });

  it("throttling and server errors are retried up to three attempts in all", async () => {
    let n = 0;
    secrets.answer(() =>
      ++n < 3
        ? { status: n === 1 ? 500 : 400, body: { __type: "com.amazonaws#ThrottlingException" } }
        : { body: { SecretString: "third" } },
    );
    await expect(getSecretValue()("arn:flaky")).resolves.toBe("third");
    expect(secrets.calls).toHaveLength(3);

    n = -10; // every answer fails now
    const error = await getSecretValue()("arn:down").catch((e: unknown) => e);
    expect((error as AwsCallError).name).toBe("ThrottlingException");
    expect(secrets.calls).toHaveLength(6);
  });

  it("a request signed with other credentials is refused as AWS refuses it", async () => {
    const call = awsJsonCall(
      {
        signingName: "secretsmanager",
        hostPrefix: "secretsmanager",
        endpointId: "SECRETS_MANAGER",
      },
      {
        env: { AWS_REGION: REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url },
        credentials: async () => ({ accessKeyId: "AKIDFAKEAWSJSON", secretAccessKey: "wrong" }),
      },
    );
    const error = await call({ path: "/", body: {} }).catch((e: unknown) => e);
    expect((error as AwsCallError).name).toBe("InvalidSignatureException");
    expect(secrets.calls[0]?.signatureValid).toBe(false);
  });

  it("no answer within the timeout is an error the caller sees", async () => {
    secrets.answer(() => ({ hang: true }));
    const call = awsJsonCall(
      {
        signingName: "secretsmanager",
        hostPrefix: "secretsmanager",
        endpointId: "SECRETS_MANAGER",
      },
      {
        env: { AWS_REGION: REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url },
        credentials: fakeCredentials,
        timeoutMs: 50,
      },
    );
    const error = await call({ path: "/", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).status).toBeUndefined();
  });
});

describe("Amazon Location CalculateRoute (REST JSON, signing name geo)", () => {
  const routes = () =>
    amazonLocationRoutes(
      amazonLocationCall({
        env: { AWS_REGION: REGION, AWS_ENDPOINT_URL_LOCATION: location.url },
        credentials: fakeCredentials,
      }),
      "pickup.routes-1",
    );

  it("asks the calculator for a route departing now and answers its duration", async () => {
    location.answer(() => ({
      body: {
        Legs: [],
        Summary: { DurationSeconds: 312.5, Distance: 4.1, DistanceUnit: "Kilometers" },
      },
    }));
    const seconds = await routes().travelTimeS(
      { lat: 48.85, lon: 2.35 },
      { lat: 48.86, lon: 2.36 },
      "car",
    );
    expect(seconds).toBe(312.5);
    const [call] = location.calls;
    expect(call?.signatureValid).toBe(true);
    expect(call?.path).toBe("/routes/v0/calculators/pickup.routes-1/calculate/route");
    expect(call?.body).toEqual({
      DeparturePosition: [2.35, 48.85],
      DestinationPosition: [2.36, 48.86],
      TravelMode: "Car",
      DepartNow: true,
    });
    await routes().travelTimeS({ lat: 1, lon: 2 }, { lat: 1, lon: 2.001 }, "walk");
    expect(location.calls[1]?.body).toMatchObject({ TravelMode: "Walking" });
  });

  it("an answer without a usable duration, or a failure, is an error (one attempt only)", async () => {
    for (const body of [{}, { Summary: {} }, { Summary: { DurationSeconds: -1 } }]) {
      location.answer(() => ({ body }));
      await expect(
        routes().travelTimeS({ lat: 1, lon: 2 }, { lat: 1, lon: 3 }, "car"),
      ).rejects.toThrow("without a duration");
    }
    location.calls.length = 0;
    location.answer(() => ({ status: 503, body: { message: "unavailable" } }));
    await expect(
      routes().travelTimeS({ lat: 1, lon: 2 }, { lat: 1, lon: 3 }, "car"),
    ).rejects.toThrow(AwsCallError);
    expect(location.calls).toHaveLength(1);
  });
});
