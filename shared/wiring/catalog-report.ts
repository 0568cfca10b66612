import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { systemClock } from "../adapters/system.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import type { Clock } from "../ports.ts";
import type { TableId } from "../tables.ts";

/** Builds a function's dependencies from its environment (default `process.env`). */
export type DepsFromEnv<D> = (env?: Record<string, string | undefined>) => D;

/**
 * The dependency builder of a report that reads one table of its own beside the catalog: the
 * builder reads `CATALOG_TABLE` and `own`'s variable from `env` (default `process.env`) and
 * answers what `reader` makes of the client and `own`'s table name, plus the catalog (ownership,
 * store and offer names) and the system clock. Call it once per cold start.
 *
 * @throws ConfigError (from the builder) naming a missing or empty table variable.
 */
export function catalogReportDeps<D extends object>(
  own: Exclude<TableId, "catalog">,
  reader: (client: DynamoDBDocumentClient, table: string) => D,
): DepsFromEnv<D & { catalog: ReturnType<typeof dynamoCatalogStore>; clock: Clock }> {
  return (env: Record<string, string | undefined> = process.env) => {
    const tables = tablesFromEnv(env, "catalog", own);
    return {
      ...reader(documentClient, tables[own]),
      catalog: dynamoCatalogStore(documentClient, tables.catalog),
      clock: systemClock,
    };
  };
}
