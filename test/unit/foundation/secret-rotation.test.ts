import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { rotatingDeviceTokenKeys } from "../../../shared/auth/device-token.ts";
import {
  currentSecret,
  type GetSecretValue,
  SecretEnv,
} from "../../../shared/config/load-secrets.ts";
import { rotatingCursorCodec } from "../../../shared/http/cursor.ts";

const OLD = "o".repeat(40);
const NEW = "n".repeat(40);
const MAX_AGE_S = 60;

let secretValue: string;
let failing: boolean;
let reads: string[];
/** Secrets Manager as the port sees it (its signed HTTP call is tested in aws-json-call.test.ts). */
const getSecretValue: GetSecretValue = async (secretId) => {
  reads.push(secretId);
  if (failing) throw new Error("ThrottlingException");
  return secretValue;
};

beforeEach(() => {
  // Only the clock is faked: the provider's cache expiry reads Date.now().
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T10:00:00Z") });
  secretValue = OLD;
  failing = false;
  reads = [];
});

afterEach(() => {
  vi.useRealTimers();
});

async function coldStart(env: Record<string, string | undefined>) {
  const secrets = new SecretEnv(env, getSecretValue, MAX_AGE_S);
  await secrets.resolve();
  return secrets;
}

const calls = () => reads.length;

describe("secrets read through Powertools Parameters with a max age", () => {
  it("a rotated secret is seen after the max age and not before, without a cold start", async () => {
    const env: Record<string, string | undefined> = { CURSOR_SECRET_ARN: "arn:cursor" };
    const secrets = await coldStart(env);
    expect(env.CURSOR_SECRET).toBe(OLD);
    expect(calls()).toBe(1);

    secretValue = NEW; // rotated in Secrets Manager
    vi.advanceTimersByTime((MAX_AGE_S - 1) * 1000);
    await secrets.refresh();
    expect(env.CURSOR_SECRET).toBe(OLD);
    expect(calls()).toBe(1); // served from the cache: no Secrets Manager call per invocation

    vi.advanceTimersByTime(2_000);
    await secrets.refresh();
    expect(env.CURSOR_SECRET).toBe(NEW);
    expect(calls()).toBe(2);
  });

  it("the keys derived from a secret follow it: cursors and device token keys", async () => {
    const env: Record<string, string | undefined> = {
      CURSOR_SECRET_ARN: "arn:cursor",
      DEVICE_TOKEN_SECRETS_ARN: "arn:tokens",
    };
    const secrets = await coldStart(env);
    const cursors = rotatingCursorCodec(currentSecret(env, "CURSOR_SECRET"));
    const tokenKeys = rotatingDeviceTokenKeys(currentSecret(env, "DEVICE_TOKEN_SECRETS"), 3600);
    const before = cursors.encode("m1", "offers", { pk: "a", sk: "b" });
    expect(cursors.decode("m1", "offers", before)).toEqual({ pk: "a", sk: "b" });
    expect(tokenKeys.secrets).toEqual([OLD]);

    secretValue = `${NEW},${OLD}`;
    vi.advanceTimersByTime((MAX_AGE_S + 1) * 1000);
    await secrets.refresh();
    // A cursor signed with the replaced secret is refused; a new one round-trips.
    expect(() => cursors.decode("m1", "offers", before)).toThrow();
    const after = cursors.encode("m1", "offers", { pk: "a", sk: "b" });
    expect(after).not.toBe(before);
    expect(cursors.decode("m1", "offers", after)).toEqual({ pk: "a", sk: "b" });
    // The new token key signs (first), the old one still verifies.
    expect(tokenKeys.secrets).toEqual([NEW, OLD]);
  });

  it("a refresh that fails or reads an invalid value keeps the last good value", async () => {
    const env: Record<string, string | undefined> = { PSEUDONYM_KEY_ARN: "arn:pseudonym" };
    const secrets = await coldStart(env);

    secretValue = "too-short"; // under the 32-character rule
    vi.advanceTimersByTime((MAX_AGE_S + 1) * 1000);
    await secrets.refresh();
    expect(env.PSEUDONYM_KEY).toBe(OLD);

    failing = true;
    vi.advanceTimersByTime((MAX_AGE_S + 1) * 1000);
    await expect(secrets.refresh()).resolves.toBeUndefined();
    expect(env.PSEUDONYM_KEY).toBe(OLD);
  });

  it("a plain variable (local runner) is used as is and nothing is fetched", async () => {
    const env: Record<string, string | undefined> = {
      CURSOR_SECRET: OLD,
      CURSOR_SECRET_ARN: "arn:ignored",
    };
    const secrets = await coldStart(env);
    await secrets.refresh();
    expect(env.CURSOR_SECRET).toBe(OLD);
    expect(calls()).toBe(0);
  });
});
