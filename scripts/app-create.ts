import { parseArgs } from "node:util";
import { runningLocalEnv } from "./local/runtime.ts";

/**
 * `npm run app:create -- --name X`: creates an app and prints its public app key (ships in the
 * mobile app) and its server secret (stays on the app's backend; signs user assertions). Against
 * AWS when CATALOG_TABLE and PSEUDONYM_KEY_ARN are set (with your AWS credentials), otherwise
 * against the running `npm start`.
 */
const { values } = parseArgs({ options: { name: { type: "string" } } });
if (!values.name) {
  console.error("usage: npm run app:create -- --name <app name>");
  process.exit(2);
}
if (!process.env.CATALOG_TABLE) {
  const local = runningLocalEnv();
  if (!local) {
    console.error("Set CATALOG_TABLE (AWS) or start the local runner with `npm start` first.");
    process.exit(2);
  }
  Object.assign(process.env, local);
}
await import("../shared/config/load-secrets.ts");
if (!process.env.PSEUDONYM_KEY) {
  console.error(
    "Set PSEUDONYM_KEY_ARN (the deployment's pseudonym key secret) to derive the server secret.",
  );
  process.exit(2);
}
const { documentClient } = await import("../shared/adapters/aws-clients.ts");
const { dynamoAppKeyStore } = await import("../shared/adapters/dynamo/app-key-store.ts");
const { systemClock, systemRandom } = await import("../shared/adapters/system.ts");
const { createAppKey } = await import("../shared/use-cases/app-keys.ts");
const appKeys = dynamoAppKeyStore(documentClient, process.env.CATALOG_TABLE ?? "");
const created = await createAppKey(
  { appKeys, clock: systemClock, random: systemRandom, masterKey: process.env.PSEUDONYM_KEY ?? "" },
  values.name,
);
console.log(JSON.stringify(created, null, 2));
console.log(
  "Store both now: only the appKey's hash is kept, and the serverSecret belongs on your backend only.",
);
