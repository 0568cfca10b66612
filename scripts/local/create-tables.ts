import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { TABLE_LIST, type TableDefinition } from "../../shared/tables.ts";

/** Physical name of a table for a given prefix, e.g. `footfall-local-catalog`. */
export function physicalTableName(prefix: string, table: TableDefinition): string {
  return `${prefix}-${table.id}`;
}

/** Maps the shared definition to CreateTable input, so local tables match the CDK ones. */
export function createTableInput(table: TableDefinition, name: string): CreateTableCommandInput {
  const attributes = new Map<string, string>();
  const add = (a: { name: string; type: string } | undefined) => {
    if (a) attributes.set(a.name, a.type);
  };
  add(table.partitionKey);
  add(table.sortKey);
  for (const gsi of table.globalIndexes) {
    add(gsi.partitionKey);
    add(gsi.sortKey);
  }
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as "S" | "N",
    })),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: "HASH" },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: "RANGE" as const }] : []),
    ],
    ...(table.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalIndexes.map((gsi) => ({
            IndexName: gsi.indexName,
            KeySchema: [
              { AttributeName: gsi.partitionKey.name, KeyType: "HASH" as const },
              ...(gsi.sortKey
                ? [{ AttributeName: gsi.sortKey.name, KeyType: "RANGE" as const }]
                : []),
            ],
            Projection: { ProjectionType: gsi.projection },
          })),
        }
      : {}),
    ...(table.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }
      : {}),
  };
}

/**
 * Adds the indexes a table definition gained since the table was created (persisted local data
 * from an older version), one at a time as DynamoDB requires.
 */
async function addMissingIndexes(client: DynamoDBClient, table: TableDefinition, name: string) {
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  const have = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  const full = createTableInput(table, name);
  for (const gsi of full.GlobalSecondaryIndexes ?? []) {
    if (have.has(gsi.IndexName)) continue;
    const names = new Set(gsi.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: full.AttributeDefinitions?.filter((a) => names.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: gsi.IndexName,
              KeySchema: gsi.KeySchema,
              Projection: gsi.Projection,
            },
          },
        ],
      }),
    );
  }
}

/**
 * Creates every missing table (idempotent) and returns the env vars naming them, so the local
 * runner and tests point handlers at them exactly as CDK does in AWS.
 */
export async function ensureTables(
  client: DynamoDBClient,
  prefix: string,
): Promise<Record<string, string>> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  const env: Record<string, string> = {};
  await Promise.all(
    TABLE_LIST.map(async (table) => {
      const name = physicalTableName(prefix, table);
      env[table.envVar] = name;
      if (existing.has(name)) {
        await addMissingIndexes(client, table, name);
        return;
      }
      try {
        await client.send(new CreateTableCommand(createTableInput(table, name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      if (table.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
    }),
  );
  return env;
}
