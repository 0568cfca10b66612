import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoAppKeyStore } from "../../shared/adapters/dynamo/app-key-store.ts";
import { systemClock, systemRandom } from "../../shared/adapters/system.ts";
import { createAppKey } from "../../shared/use-cases/app-keys.ts";

export const DEMO_MERCHANT_ID = "m_demo";

export interface SeedResult {
  merchantId: string;
  appKey: string;
}

/**
 * Seeds the demo merchant idempotently: the demo app key is kept (plaintext) only in the local
 * data directory, and recreated when the database no longer knows it.
 */
export async function seedDemo(
  client: DynamoDBDocumentClient,
  env: Record<string, string>,
  dataDir: string | undefined,
): Promise<SeedResult> {
  const appKeys = dynamoAppKeyStore(client, env.CATALOG_TABLE ?? "");
  const keyFile = dataDir ? join(dataDir, "demo-app-key.txt") : undefined;
  if (keyFile && existsSync(keyFile)) {
    const existing = readFileSync(keyFile, "utf8").trim();
    if (await appKeys.find(existing)) return { merchantId: DEMO_MERCHANT_ID, appKey: existing };
  }
  const created = await createAppKey(
    { appKeys, clock: systemClock, random: systemRandom },
    "Demo app",
  );
  if (keyFile) writeFileSync(keyFile, `${created.appKey}\n`, { mode: 0o600 });
  return { merchantId: DEMO_MERCHANT_ID, appKey: created.appKey };
}
