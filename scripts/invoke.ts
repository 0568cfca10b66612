import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startLocalStack } from "./local/environment.ts";
import { runningLocalEnv } from "./local/runtime.ts";
import { loadHandler } from "./local/server.ts";

/**
 * `npm run invoke -- <function> <event.json>`: runs one handler once against the local engines (the
 * running `npm start` if any, otherwise fresh in-memory engines) and prints its result.
 */
const [fn, eventFile] = process.argv.slice(2);
if (!fn || !eventFile) {
  console.error("usage: npm run invoke -- <function> <events/file.json>");
  process.exit(2);
}
const running = runningLocalEnv();
const stack = running ? undefined : await startLocalStack({});
Object.assign(process.env, running ?? stack?.env, { LOG_LEVEL: process.env.LOG_LEVEL ?? "WARN" });
try {
  const event = JSON.parse(readFileSync(resolve(eventFile), "utf8"));
  const handler = await loadHandler(fn);
  const result = await handler(event, {
    awsRequestId: "invoke",
    functionName: fn,
    getRemainingTimeInMillis: () => 30_000,
  });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack?.stop();
}
