import * as z from "zod";
import type { TableId } from "../tables.ts";
import { configVars, readConfig } from "./read-config.ts";

/**
 * The environment variable carrying each table's physical name into a function; the same names
 * as `envVar` in `shared/tables.ts` (the CDK stack and the local runner set them from there).
 */
export const TABLE_ENV_VARS = {
  catalog: "CATALOG_TABLE",
  geoIndex: "GEO_INDEX_TABLE",
  devices: "DEVICES_TABLE",
  incentives: "INCENTIVES_TABLE",
  conversions: "CONVERSIONS_TABLE",
} as const satisfies Record<TableId, string>;

type TableVar<K extends TableId> = (typeof TABLE_ENV_VARS)[K];

/** The zod shape of the given tables' variables: one required, non-empty table name each. */
export type TableVarsShape<K extends TableId> = {
  [P in K as TableVar<P>]: typeof configVars.tableName;
};

/** Physical table names keyed by table id, for the tables a validated config carries. */
export type TableNames<C> = {
  readonly [K in TableId as TableVar<K> extends keyof C ? K : never]: string;
};

/**
 * The config shape of the tables a function is given, to spread into its `z.object` beside its
 * other variables so one `readConfig` names every missing or empty variable at cold start.
 *
 * @example z.object({ ...tableVars("catalog", "conversions"), CURSOR_SECRET: configVars.secret })
 */
export function tableVars<K extends TableId>(...ids: K[]): TableVarsShape<K> {
  return Object.fromEntries(
    ids.map((id) => [TABLE_ENV_VARS[id], configVars.tableName]),
  ) as TableVarsShape<K>;
}

/**
 * The physical table names in a validated config, keyed by table id (`{ catalog, incentives }`),
 * so adapters taking several tables (`{ incentives, conversions }`) are given them as one value.
 * Only the tables whose variable the config carries are present.
 */
export function tableNames<C extends object>(config: C): TableNames<C> {
  const names: Record<string, string> = {};
  for (const [id, envVar] of Object.entries(TABLE_ENV_VARS)) {
    const name = (config as Record<string, unknown>)[envVar];
    if (typeof name === "string") names[id] = name;
  }
  return names as TableNames<C>;
}

/**
 * Reads and validates only the given tables' names from `env`, keyed by table id.
 *
 * @throws ConfigError naming every missing or empty table variable.
 */
export function tablesFromEnv<K extends TableId>(
  env: Record<string, string | undefined>,
  ...ids: K[]
): { readonly [P in K]: string } {
  const config = readConfig(z.object(tableVars(...ids) as z.ZodRawShape), env);
  return tableNames(config) as { readonly [P in K]: string };
}
