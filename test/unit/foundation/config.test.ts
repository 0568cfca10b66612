import { describe, expect, it } from "vitest";
import * as z from "zod";
import { resolveSecretEnv } from "../../../shared/config/load-secrets.ts";
import { ConfigError, configVars, readConfig } from "../../../shared/config/read-config.ts";

describe("config", () => {
  it("fails fast naming every bad variable", () => {
    const schema = z.object({
      CATALOG_TABLE: configVars.tableName,
      INCENTIVE_TOPIC_ARN: configVars.topicArn,
    });
    expect(() => readConfig(schema, { INCENTIVE_TOPIC_ARN: "nope" })).toThrow(ConfigError);
    try {
      readConfig(schema, { INCENTIVE_TOPIC_ARN: "nope" });
    } catch (error) {
      expect((error as Error).message).toContain("CATALOG_TABLE");
      expect((error as Error).message).toContain("INCENTIVE_TOPIC_ARN: must be an SNS topic ARN");
    }
    expect(
      readConfig(schema, { CATALOG_TABLE: "t", INCENTIVE_TOPIC_ARN: "arn:aws:sns:eu-west-1:1:t" }),
    ).toEqual({
      CATALOG_TABLE: "t",
      INCENTIVE_TOPIC_ARN: "arn:aws:sns:eu-west-1:1:t",
    });
  });

  it("resolves *_ARN secrets from Secrets Manager and leaves plain values alone", async () => {
    const reads: string[] = [];
    const values: Record<string, string> = { "arn:pseudo": "p".repeat(40) };
    const env: Record<string, string | undefined> = {
      PSEUDONYM_KEY_ARN: "arn:pseudo",
      DEVICE_TOKEN_SECRETS: "already-set",
      DEVICE_TOKEN_SECRETS_ARN: "arn:ignored",
    };
    await resolveSecretEnv(env, async (secretId) => {
      reads.push(secretId);
      return values[secretId];
    });
    expect(env.PSEUDONYM_KEY).toBe("p".repeat(40));
    expect(env.DEVICE_TOKEN_SECRETS).toBe("already-set");
    expect(reads).toEqual(["arn:pseudo"]);
  });
});
