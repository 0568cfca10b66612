// Temporary probe (not committed): where the device authorizer's CPU goes.
import { startLocalStack } from "../../scripts/local/environment.ts";

const stack = await startLocalStack({ tablePrefix: "footfall-authprobe" });
Object.assign(process.env, stack.env, {
  LOG_LEVEL: "INFO",
  POWERTOOLS_SERVICE_NAME: "footfall",
  POWERTOOLS_METRICS_NAMESPACE: "Footfall",
});
delete process.env.POWERTOOLS_METRICS_DISABLED;
const write = process.stdout.write.bind(process.stdout);
let bytes = 0;
process.stdout.write = ((c: string) => {
  bytes += c.length;
  return true;
}) as never;
try {
  const { issueDeviceToken, deviceTokenKeys, verifyDeviceToken } = await import(
    "../../shared/auth/device-token.ts"
  );
  const { registeredDevice } = await import("../../test/support/fixtures.ts").catch(() => ({
    registeredDevice: undefined,
  }));
  const { documentClient } = await import("../../shared/adapters/aws-clients.ts");
  const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
  const { deviceKeys } = await import("../../shared/domain/device.ts");
  const { dynamoDeviceStore } = await import("../../shared/adapters/dynamo/device-store.ts");
  const keys = deviceTokenKeys(process.env.DEVICE_TOKEN_SECRETS as string, 3600);
  const tokens: string[] = [];
  const N = Number(process.argv[2] ?? 300);
  for (let i = 0; i < N; i++) {
    const deviceId = `dev_probe_${i}`;
    const iso = new Date().toISOString();
    await documentClient.send(
      new PutCommand({
        TableName: process.env.DEVICES_TABLE,
        Item: {
          ...deviceKeys.profile(deviceId),
          deviceId,
          appId: "a",
          platform: "ios",
          consent: { location: true, marketing: true },
          segments: [],
          openZones: 0,
          version: 1,
          createdAt: iso,
          updatedAt: iso,
          timeZone: "Europe/Paris",
        },
      }),
    );
    tokens.push((await issueDeviceToken(keys, deviceId, Math.floor(Date.now() / 1000))).token);
  }
  const { handler } = await import("../../functions/device-authorizer.ts");
  const { authorizeDevice } = await import("../../shared/use-cases/devices.ts");
  const { deviceAuthDepsFromEnv } = await import("../../shared/wiring/device-deps.ts");
  const deps = deviceAuthDepsFromEnv();
  const { dynamoClient } = await import("../../shared/adapters/aws-clients.ts");
  const { GetItemCommand } = await import("@aws-sdk/client-dynamodb");
  const { GetCommand } = await import("@aws-sdk/lib-dynamodb");
  const table = process.env.DEVICES_TABLE as string;
  const ctx = {
    awsRequestId: "probe",
    functionName: "probe",
    getRemainingTimeInMillis: () => 5000,
  };
  const store = dynamoDeviceStore(documentClient, process.env.DEVICES_TABLE as string);
  async function cpu(label: string, f: (t: string, i: number) => Promise<unknown>) {
    for (let i = 0; i < 30; i++) await f(tokens[i % N] as string, i); // warm
    bytes = 0;
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await f(tokens[i] as string, i);
    const c = process.cpuUsage(c0);
    return { label, cpuMs: (c.user + c.system) / 1000 / N, logBytes: bytes / N };
  }
  const rows = [];
  const only = process.argv[3];
  if (only === "handler") { for (let r = 0; r < 6; r++) rows.push(await cpu("handler", (t) => (handler as never as (e: unknown, c: unknown) => Promise<unknown>)({ type: "REQUEST", headers: { authorization: `Bearer ${t}` }, requestContext: { requestId: "r" } }, ctx))); }
  for (let round = 0; round < (only ? 0 : 3); round++) {
    rows.push(
      await cpu("handler", (t) =>
        (handler as never as (e: unknown, c: unknown) => Promise<unknown>)(
          {
            type: "REQUEST",
            headers: { authorization: `Bearer ${t}` },
            requestContext: { requestId: "r" },
          },
          ctx,
        ),
      ),
    );
    rows.push(
      await cpu("verify only", (t) => verifyDeviceToken(keys, t, Math.floor(Date.now() / 1000))),
    );
    rows.push(await cpu("GetItem only", (_t, i) => store.get(`dev_probe_${i % N}`)));
    rows.push(await cpu("authorizeDevice direct", (t) => authorizeDevice(deps, t)));
    rows.push(await cpu("GetItem doc projection", (_t, i) => documentClient.send(new GetCommand({ TableName: table, Key: deviceKeys.profile(`dev_probe_${i % N}`), ConsistentRead: true, ProjectionExpression: "consent, segments, timeZone, platform, openZones, pickupRefs, personRef, trustedSegments, attested, tokensNotBefore, erasingAt" }))));
    rows.push(await cpu("GetItem lowlevel projection", (_t, i) => dynamoClient.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `DEVICE#dev_probe_${i % N}` }, sk: { S: "PROFILE" } }, ConsistentRead: true, ProjectionExpression: "consent, segments, timeZone, platform, openZones, pickupRefs, personRef, trustedSegments, attested, tokensNotBefore, erasingAt" }))));
  }
  write(`${JSON.stringify(rows, null, 1)}\n`);
} finally {
  process.stdout.write = write;
  await stack.stop();
}
process.exit(0);
