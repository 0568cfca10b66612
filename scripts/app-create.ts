import { parseArgs } from "node:util";
import { runningLocalEnv } from "./local/runtime.ts";

/**
 * `npm run app:create -- --name X`: creates an app key. Against AWS when CATALOG_TABLE is set (with
 * your AWS credentials), otherwise against the running `npm start`.
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
const { documentClient } = await import("../shared/adapters/aws-clients.ts");
const { dynamoAppKeyStore } = await import("../shared/adapters/dynamo/app-key-store.ts");
const { systemClock, systemRandom } = await import("../shared/adapters/system.ts");
const { createAppKey } = await import("../shared/use-cases/app-keys.ts");
const appKeys = dynamoAppKeyStore(documentClient, process.env.CATALOG_TABLE ?? "");
const created = await createAppKey(
  { appKeys, clock: systemClock, random: systemRandom },
  values.name,
);
console.log(JSON.stringify(created, null, 2));
console.log("Store the appKey now: only its hash is kept.");
