import { rmSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FUNCTION_SPECS } from "../../infra/function-specs.ts";
import { FAKE_CREDENTIALS, type FakeAwsService, fakeAwsService } from "../support/fake-aws.ts";
import { logicalId, resources, type Synthesized, synthFootfall } from "./synth.ts";

let s: Synthesized;
let secrets: FakeAwsService;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s = synthFootfall({ push: true });
  // Secret values come from Secrets Manager at cold start, as in AWS (a local stand-in that
  // checks the request's signature).
  secrets = await fakeAwsService({ name: "secretsmanager", region: "eu-west-1" });
  secrets.answer(() => ({ body: { SecretString: "k".repeat(64) } }));
});

afterAll(async () => {
  await secrets?.close();
  if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const key of Object.keys(process.env)) {
    if (!(key in savedEnv)) delete process.env[key];
  }
  Object.assign(process.env, savedEnv);
});

/**
 * The function's environment as deployed, with CloudFormation references replaced by plausible
 * values of the same kind (names, ARNs, URLs).
 */
function deployedEnv(name: string): Record<string, string> {
  const f = s.service.functions[name];
  if (!f) throw new Error(`no function ${name}`);
  const props = resources(s.serviceTemplate)[logicalId(s.service, f.fn)]?.Properties as {
    Environment: { Variables: Record<string, unknown> };
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(props.Environment.Variables)) {
    if (typeof value === "string") env[key] = value;
    else if (key.endsWith("_TABLE")) env[key] = `footfall-test-${key.toLowerCase()}`;
    else if (key === "INCENTIVE_TOPIC_ARN") {
      env[key] = "arn:aws:sns:eu-west-1:123456789012:footfall-test-incentives";
    } else if (key.endsWith("_ARN")) {
      env[key] = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${key}-AbCdEf`;
    } else if (key.endsWith("_URL")) {
      env[key] = "https://sqs.eu-west-1.amazonaws.com/123456789012/footfall-test-dlq";
    } else if (key === "PLACE_INDEX_NAME") env[key] = "footfall-test-places";
    else if (key === "COGNITO_DOMAIN") {
      env[key] = "https://footfall-test.auth.eu-west-1.amazoncognito.com";
    } else if (key === "COGNITO_CLIENT_ID") env[key] = "footfalltestclient";
    else throw new Error(`${name}: no test value for the reference in ${key}`);
  }
  return env;
}

describe("every function starts with the environment it is deployed with", () => {
  it.each(Object.keys(FUNCTION_SPECS))(
    "%s",
    async (name) => {
      for (const key of Object.keys(process.env)) {
        if (/_TABLE$|_ARN$|_SECRETS?$|_KEY$|_URL$|PLACE_INDEX/.test(key)) delete process.env[key];
      }
      Object.assign(process.env, deployedEnv(name), {
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        LOG_LEVEL: "SILENT",
      });
      vi.resetModules();
      // Module scope runs here: secret resolution and config validation, like a cold start.
      const entry = s.service.functions[name]?.entry ?? "";
      const before = secrets.calls.length;
      const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
      expect(typeof mod[FUNCTION_SPECS[name]?.handler ?? "handler"]).toBe("function");
      // Every secret the function is given was read at start, with a valid signature (the
      // attestation config is read on use: shared/wiring/device-deps.ts).
      const read = secrets.calls.slice(before);
      expect(read.every((c) => c.signatureValid)).toBe(true);
      const atStart = (FUNCTION_SPECS[name]?.secrets ?? []).filter((id) => id !== "attestation");
      expect(read.length).toBe(atStart.length);
    },
    60_000,
  );
});
