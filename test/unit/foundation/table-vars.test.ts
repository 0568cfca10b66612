import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ConfigError, configVars, readConfig } from "../../../shared/config/read-config.ts";
import {
  TABLE_ENV_VARS,
  tableNames,
  tablesFromEnv,
  tableVars,
} from "../../../shared/config/table-vars.ts";
import { TABLES } from "../../../shared/tables.ts";

describe("table variables", () => {
  it("name each table by the variable the table definitions give it", () => {
    for (const [id, definition] of Object.entries(TABLES)) {
      expect(TABLE_ENV_VARS[id as keyof typeof TABLE_ENV_VARS]).toBe(definition.envVar);
    }
    expect(Object.keys(TABLE_ENV_VARS).sort()).toEqual(Object.keys(TABLES).sort());
  });

  it("read only the tables asked for, keyed by table id", () => {
    const env = { CATALOG_TABLE: "cat", INCENTIVES_TABLE: "inc", DEVICES_TABLE: "dev" };
    expect(tablesFromEnv(env, "catalog", "incentives")).toEqual({
      catalog: "cat",
      incentives: "inc",
    });
  });

  it("fail the cold start naming every missing or empty table variable", () => {
    const read = () => tablesFromEnv({ CATALOG_TABLE: " " }, "catalog", "conversions");
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/CATALOG_TABLE: must be set[\s\S]*CONVERSIONS_TABLE/);
  });

  it("validate beside a function's other variables in one pass", () => {
    const schema = z.object({
      ...tableVars("devices"),
      FATIGUE_CAP: configVars.integer(1, 100, 3),
    });
    expect(() => readConfig(schema, { FATIGUE_CAP: "0" })).toThrow(
      /DEVICES_TABLE[\s\S]*FATIGUE_CAP/,
    );
    const config = readConfig(schema, { DEVICES_TABLE: "dev" });
    expect(config.FATIGUE_CAP).toBe(3);
    expect(tableNames(config)).toEqual({ devices: "dev" });
  });
});

describe("integer variables", () => {
  const schema = z.object({ N: configVars.integer(0, 60, 60) });
  it("accept whole numbers within both bounds and default when absent", () => {
    expect(readConfig(schema, {}).N).toBe(60);
    expect(readConfig(schema, { N: "0" }).N).toBe(0);
    expect(readConfig(schema, { N: "60" }).N).toBe(60);
  });
  it("reject values outside the bounds or not whole", () => {
    for (const N of ["-1", "61", "1.5", "x"]) expect(() => readConfig(schema, { N })).toThrow(/N:/);
  });
});
