import { rmSync } from "node:fs";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logicalId, resources, type Synthesized, synthFootfall } from "./synth.ts";

let configured: Synthesized;
let plain: Synthesized;

beforeAll(() => {
  configured = synthFootfall({ nag: true, context: { pickupRouteCalculator: "footfall-routes" } });
  plain = synthFootfall();
});

afterAll(() => {
  for (const s of [configured, plain]) {
    if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
  }
});

/** Functions whose role may call geo:CalculateRoute, with the resources it is granted on. */
function routeGrants(s: Synthesized): Map<string, string[]> {
  const template = resources(s.serviceTemplate);
  const out = new Map<string, string[]>();
  for (const [name, f] of Object.entries(s.service.functions)) {
    const roleId = logicalId(s.service, f.role);
    for (const res of Object.values(template)) {
      if (res.Type !== "AWS::IAM::Policy") continue;
      if (!JSON.stringify(res.Properties?.Roles).includes(`"${roleId}"`)) continue;
      const doc = res.Properties?.PolicyDocument as {
        Statement: { Action: string | string[]; Resource: unknown }[];
      };
      for (const st of doc.Statement) {
        const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
        if (actions.some((a) => a === "geo:CalculateRoute" || a === "geo:*")) {
          out.set(name, [...(out.get(name) ?? []), JSON.stringify(st.Resource)]);
        }
      }
    }
  }
  return out;
}

function envOf(s: Synthesized, name: string): Record<string, unknown> {
  const f = s.service.functions[name];
  if (!f) throw new Error(`no function ${name}`);
  const props = resources(s.serviceTemplate)[logicalId(s.service, f.fn)]?.Properties as {
    Environment: { Variables: Record<string, unknown> };
  };
  return props.Environment.Variables;
}

describe("Amazon Location route calculator for pickup estimates (CDK)", () => {
  it("configured: only the ping function may CalculateRoute, on that calculator alone", () => {
    const grants = routeGrants(configured);
    expect([...grants.keys()]).toEqual(["ping-ingest"]);
    const [resource] = grants.get("ping-ingest") ?? [];
    expect(resource).toContain(":route-calculator/footfall-routes");
    expect(resource).not.toContain("*");
    expect(envOf(configured, "ping-ingest").PICKUP_ROUTE_CALCULATOR).toBe("footfall-routes");
  });

  it("configured: cdk-nag finds nothing unacknowledged", () => {
    const report = new AwsSolutionsChecks().validateScope(configured.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it("not configured: no route permission, no calculator in the environment", () => {
    expect(routeGrants(plain).size).toBe(0);
    expect(envOf(plain, "ping-ingest").PICKUP_ROUTE_CALCULATOR).toBeUndefined();
  });
});
