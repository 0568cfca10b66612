import { rmSync } from "node:fs";
import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Synthesized, synthFootfall } from "./synth.ts";

interface RecordedAck {
  path: string;
  id: string;
  reason: string;
}

let s: Synthesized;

beforeAll(() => {
  // Synthesizing with the plugin registered fails on any unacknowledged finding.
  s = synthFootfall({ nag: true, push: true });
});

afterAll(() => {
  if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
});

/** Every acknowledgement recorded anywhere in the app, with the construct it sits on. */
function acknowledgements(): RecordedAck[] {
  const acks: RecordedAck[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acks.push({ path: node.node.path, id: id.replace(/^[A-Za-z]+::/, ""), reason });
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(s.app);
  return acks;
}

/** The findings cdk-nag raises when acknowledgements are ignored. */
function rawFindings(): { id: string; path: string }[] {
  const pack = new AwsSolutionsChecks();
  // Test-only: see what the rules report before acknowledgements are applied.
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(s.app).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      id: v.ruleName,
      path: (r as { constructPath?: string }).constructPath ?? "",
    })),
  );
}

describe("cdk-nag AWS Solutions checks", () => {
  it("report zero unacknowledged findings", () => {
    const report = new AwsSolutionsChecks().validateScope(s.app);
    const findings = report.violations.map(
      (v) =>
        `${v.ruleName}: ${v.description} @ ${v.violatingResources
          .map((r) => (r as { constructPath?: string }).constructPath)
          .join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("run on every synth of the app (the CLI fails on a new finding)", () => {
    const plugins = (s.app as unknown as { _validationPlugins?: unknown[] })._validationPlugins;
    expect(plugins?.some((p) => p instanceof AwsSolutionsChecks)).toBe(true);
  });

  it("every acknowledgement names an AwsSolutions finding and gives a real reason", () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(40);
      expect(ack.reason, `${ack.path} ${ack.id}`).not.toMatch(/^(todo|n\/a|ignore|suppress)/i);
    }
  });

  it("every acknowledgement matches a finding it actually silences (none is stale)", () => {
    const raw = rawFindings();
    for (const ack of acknowledgements()) {
      const silenced = raw.some(
        (f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
      );
      expect(silenced, `stale acknowledgement ${ack.id} on ${ack.path}`).toBe(true);
    }
  });

  it("only expected kinds of findings are acknowledged at all", () => {
    const kinds = new Set(acknowledgements().map((a) => a.id.replace(/\[.*$/, "")));
    expect([...kinds].sort()).toEqual(
      [
        "AwsSolutions-APIG4", // routes authenticated in the function (app key) or public (health)
        "AwsSolutions-COG8", // Cognito Essentials tier
        "AwsSolutions-IAM5", // X-Ray, ListStreams, per-device push endpoints
        "AwsSolutions-SMG4", // operator-driven secret rotation
        "AwsSolutions-SQS3", // DLQs have no DLQ
      ].sort(),
    );
  });
});
