import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { readInfraContext } from "../../infra/context.ts";
import { functionEntry, platformEndpointsArn, REPO_ROOT } from "../../infra/footfall-function.ts";
import {
  asyncFunctionNames,
  DEFAULT_BUNDLE_BUDGET_KB,
  FUNCTION_SPECS,
} from "../../infra/function-specs.ts";
import { pascalCase } from "../../infra/names.ts";
import { NON_ROUTE_FUNCTIONS, ROUTES } from "../../infra/routes.ts";
import { TABLES } from "../../shared/tables.ts";

const functionFiles = readdirSync(join(REPO_ROOT, "functions"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -".ts".length))
  .sort();

describe("function specs", () => {
  it("every handler file in functions/ has a spec in infra/function-specs.ts", () => {
    const missing = functionFiles.filter((name) => !FUNCTION_SPECS[name]);
    expect(
      missing,
      `add an entry to FUNCTION_SPECS (infra/function-specs.ts) for: ${missing.join(", ")}`,
    ).toEqual([]);
  });

  it("every spec has a handler file", () => {
    const orphans = Object.keys(FUNCTION_SPECS).filter((name) => !functionFiles.includes(name));
    expect(orphans, `no functions/<name>.ts for specs: ${orphans.join(", ")}`).toEqual([]);
  });

  it("every route and non-route function names a function with a spec", () => {
    const names = [...ROUTES.map((r) => r.fn), ...NON_ROUTE_FUNCTIONS];
    const missing = [...new Set(names.filter((name) => !FUNCTION_SPECS[name]))];
    expect(missing, `routes name functions without a spec: ${missing.join(", ")}`).toEqual([]);
  });

  it("every spec is reachable: behind a route, a non-route function, or triggered", () => {
    const routed = new Set<string>([...ROUTES.map((r) => r.fn), ...NON_ROUTE_FUNCTIONS]);
    const unreachable = Object.entries(FUNCTION_SPECS)
      .filter(([name, spec]) => !routed.has(name) && !spec.trigger)
      .map(([name]) => name);
    expect(unreachable).toEqual([]);
  });

  it("every entry file exports the handler its spec names", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      const source = readFileSync(functionEntry(name), "utf8");
      const exported = spec.handler ?? "handler";
      expect(source, `functions/${name}.ts must export const ${exported}`).toMatch(
        new RegExp(`^export const ${exported}\\b`, "m"),
      );
    }
  });

  it("stream triggers name tables that have a stream", () => {
    for (const name of asyncFunctionNames()) {
      const trigger = FUNCTION_SPECS[name]?.trigger;
      expect(trigger, name).toBeDefined();
      if (trigger?.kind === "tableStream") expect(TABLES[trigger.table].stream, name).toBeDefined();
    }
  });

  it("memory, timeout and budgets stay within Lambda and API Gateway limits", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      const memory = spec.memoryMb ?? 512;
      expect(memory, name).toBeGreaterThanOrEqual(128);
      expect(memory, name).toBeLessThanOrEqual(10_240);
      const timeout = spec.timeoutS ?? 10;
      // API Gateway stops waiting after 30 s; only triggered functions may run longer.
      expect(timeout, name).toBeLessThanOrEqual(spec.trigger ? 900 : 29);
      if (spec.bundleBudget) {
        expect(spec.bundleBudget.kb, name).toBeGreaterThan(DEFAULT_BUNDLE_BUDGET_KB);
        expect(spec.bundleBudget.reason.length, name).toBeGreaterThan(40);
      }
    }
  });

  it("grant a budget above 500 KB only to functions that compute covers", () => {
    // Time zones, reports, claims, pickups, settings, the sweeper and the publishers (which
    // decide with the runtime's tz database, not a date library), catalog reads, nearby offers
    // and the OpenAPI document fit the default budget: a module that drags h3-js, the time zone
    // map, luxon or the catalog writers' wiring into them is a regression.
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      if (spec.computesCovers) {
        expect(spec.bundleBudget?.reason, name).toContain("h3-js");
      } else {
        expect(spec.bundleBudget, name).toBeUndefined();
      }
    }
    for (const name of [
      "conversions-list",
      "redemption-create",
      "report-offer",
      "report-offers",
      "report-store",
      "report-channels",
      "incentive-publisher",
      "visit-sweeper",
      "pickup-publisher",
      "claim-create",
      "exposure-create",
      "merchant-settings-get",
      "merchant-settings-put",
      "store-get",
      "store-list",
      "offer-get",
      "offer-list",
      "offers-nearby",
      "openapi",
      "ping-ingest",
      "device-authorizer",
    ]) {
      expect(FUNCTION_SPECS[name]?.bundleBudget, name).toBeUndefined();
      expect(FUNCTION_SPECS[name]?.computesCovers, name).toBeFalsy();
    }
    // The functions that index zones are the ones flagged.
    for (const name of ["store-create", "store-import-worker", "offer-create", "offer-resume"]) {
      expect(FUNCTION_SPECS[name]?.computesCovers, name).toBe(true);
    }
  });

  it("only publishers and probes touch the incentive topic", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      expect(spec.publishesIncentives && spec.probesIncentiveTopic, name).toBeFalsy();
    }
    expect(FUNCTION_SPECS.health?.publishesIncentives).toBeFalsy();
    expect(FUNCTION_SPECS.health?.access).toEqual({ catalog: "describe" });
  });
});

describe("names and ARNs", () => {
  it("derives construct ids from file, table and role names", () => {
    expect(pascalCase("device-register")).toBe("DeviceRegister");
    expect(pascalCase("geoIndex")).toBe("GeoIndex");
    expect(pascalCase("catalog_table")).toBe("CatalogTable");
    expect(pascalCase("/v1/stores/{storeId}")).toBe("V1StoresStoreId");
  });

  it("turns a platform application ARN into its endpoints' ARN pattern", () => {
    expect(platformEndpointsArn("arn:aws:sns:eu-west-1:123456789012:app/APNS/MyApp")).toBe(
      "arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/MyApp/*",
    );
    expect(platformEndpointsArn("arn:aws-cn:sns:cn-north-1:123456789012:app/GCM/A.b-c")).toBe(
      "arn:aws-cn:sns:cn-north-1:123456789012:endpoint/GCM/A.b-c/*",
    );
  });
});

describe("deploy parameters (CDK context)", () => {
  const read = (context: Record<string, unknown>) => readInfraContext(new App({ context }));

  it("has safe defaults", () => {
    expect(read({})).toEqual({
      stage: "prod",
      logRetention: RetentionDays.ONE_MONTH,
      apnsPlatformApplicationArn: undefined,
      fcmPlatformApplicationArn: undefined,
      alarmEmail: undefined,
      placeIndexDataSource: "Esri",
      placeIndexIntendedUse: "Storage",
      pickupRouteCalculator: undefined,
    });
  });

  it("accepts every documented parameter", () => {
    const ctx = read({
      stage: "staging",
      logRetentionDays: "90",
      apnsPlatformApplicationArn: "arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/App",
      fcmPlatformApplicationArn: "arn:aws:sns:us-east-1:123456789012:app/GCM/App",
      alarmEmail: "ops@example.com",
      placeIndexDataSource: "Here",
      placeIndexIntendedUse: "Storage",
    });
    expect(ctx.stage).toBe("staging");
    expect(ctx.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(ctx.apnsPlatformApplicationArn).toContain("APNS_SANDBOX");
    expect(ctx.placeIndexDataSource).toBe("Here");
    expect(ctx.placeIndexIntendedUse).toBe("Storage");
  });

  it("fails the synth with the key named when a parameter is wrong", () => {
    expect(() => read({ stage: "Prod!" })).toThrow(/-c stage/);
    expect(() => read({ logRetentionDays: "31" })).toThrow(/-c logRetentionDays/);
    expect(() =>
      read({ apnsPlatformApplicationArn: "arn:aws:sns:us-east-1:123456789012:app/GCM/App" }),
    ).toThrow(/-c apnsPlatformApplicationArn/);
    expect(() => read({ alarmEmail: "nobody" })).toThrow(/-c alarmEmail/);
    expect(() => read({ placeIndexDataSource: "Grab" })).toThrow(/-c placeIndexDataSource/);
    expect(() => read({ placeIndexIntendedUse: "Forever" })).toThrow(/-c placeIndexIntendedUse/);
    expect(() => read({ pickupRouteCalculator: "no spaces allowed" })).toThrow(
      /-c pickupRouteCalculator/,
    );
  });
});
