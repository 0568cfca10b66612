import { documentClient } from "../../shared/adapters/aws-clients.ts";
import { dynamoAppKeyStore } from "../../shared/adapters/dynamo/app-key-store.ts";
import { systemClock, systemRandom } from "../../shared/adapters/system.ts";
import { createAppKey } from "../../shared/use-cases/app-keys.ts";
import { env } from "./aws.ts";

/**
 * A new app key in the test catalog table, created like `npm run app:create` does (with the
 * deployment's pseudonym key, so the app also gets a server secret for user assertions).
 */
export async function createTestAppKey(name: string): ReturnType<typeof createAppKey> {
  return await createAppKey(
    {
      appKeys: dynamoAppKeyStore(documentClient, env("CATALOG_TABLE")),
      clock: systemClock,
      random: systemRandom,
      masterKey: process.env.PSEUDONYM_KEY ?? "",
    },
    name,
  );
}
