import type { TestProject } from "vitest/node";
import { startLocalStack } from "../scripts/local/environment.ts";

declare module "vitest" {
  export interface ProvidedContext {
    localEnv: Record<string, string>;
    incentiveQueueUrl: string;
  }
}

/**
 * Starts DynamoDB Local and fauxqs once for the integration project on free loopback ports and
 * tears them down after the run; tests isolate themselves with unique ids.
 */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ tablePrefix: "footfall-test" });
  project.provide("localEnv", stack.env);
  project.provide("incentiveQueueUrl", stack.incentiveQueueUrl);
  return async () => {
    await stack.stop();
  };
}
