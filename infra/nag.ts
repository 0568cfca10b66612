import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";

/** A reviewed cdk-nag finding: the exact finding id and why it is acceptable here. */
export interface Acknowledgement {
  /** Rule id, with the finding in brackets where the rule reports several (e.g. IAM5). */
  id: string;
  reason: string;
}

const FINDING_ID = /^AwsSolutions-[A-Z]+\d+(\[.+\])?$/;
const MIN_REASON_LENGTH = 40;

/**
 * Records acknowledged cdk-nag findings on a construct (and everything under it). Refuses vague
 * entries up front, so every exception in the app names its finding and carries a real reason.
 */
export function acknowledge(scope: IConstruct, ...acks: Acknowledgement[]): void {
  for (const ack of acks) {
    if (!FINDING_ID.test(ack.id)) {
      throw new Error(`cdk-nag acknowledgement "${ack.id}" must name an AwsSolutions finding`);
    }
    if (ack.reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(
        `cdk-nag acknowledgement ${ack.id} needs a real reason (got "${ack.reason}")`,
      );
    }
  }
  Validations.of(scope).acknowledge(...acks);
}

/**
 * Runs the AWS Solutions rule pack on every synth: an unacknowledged finding fails `cdk synth`,
 * `cdk deploy` and the tests alike.
 */
export function addNagChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  return checks;
}
