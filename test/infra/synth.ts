import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { buildFootfallApp, type FootfallApp } from "../../infra/footfall-app.ts";
import { REPO_ROOT } from "../../infra/footfall-function.ts";

/** Platform application ARNs used by the tests so the push grants are synthesized too. */
export const TEST_PLATFORM_ARNS = {
  apnsPlatformApplicationArn: "arn:aws:sns:eu-west-1:123456789012:app/APNS/FootfallTest",
  fcmPlatformApplicationArn: "arn:aws:sns:eu-west-1:123456789012:app/GCM/FootfallTest",
};

export interface Synthesized extends FootfallApp {
  assemblyDir: string;
  dataTemplate: Template;
  serviceTemplate: Template;
}

/** The feature flags of cdk.json: tests must synthesize what `cdk deploy` would. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the real app once. Without `bundle`, function code is not bundled (the IAM, API
 * and nag checks do not need it and run in seconds); with it, every function is built by esbuild.
 * With `push`, the {@link TEST_PLATFORM_ARNS} are configured, so the push grants are synthesized.
 */
export function synthFootfall(
  options: {
    bundle?: boolean;
    nag?: boolean;
    push?: boolean;
    context?: Record<string, unknown>;
  } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "footfall-cdk-"));
  const built = buildFootfallApp({
    nag: options.nag ?? false,
    appProps: {
      outdir,
      context: {
        ...cdkJsonContext(),
        ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
        ...(options.push ? TEST_PLATFORM_ARNS : {}),
        ...options.context,
      },
    },
  });
  const assembly = built.app.synth();
  return {
    ...built,
    assemblyDir: assembly.directory,
    dataTemplate: Template.fromStack(built.data),
    serviceTemplate: Template.fromStack(built.service),
  };
}

/** CloudFormation logical id of a construct's L1 resource (or of the construct itself). */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }
>;

/** All resources of a template, for the checks `Template` matchers cannot express. */
export function resources(template: Template): Resources {
  return template.toJSON().Resources as Resources;
}
