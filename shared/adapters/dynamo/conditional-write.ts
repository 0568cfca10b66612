import type {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

/** Whether `error` is a single write's failed condition (`ConditionalCheckFailedException`). */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
}

/**
 * Sends one conditional Put, Update or Delete: true when it was written, false when its
 * `ConditionExpression` did not hold (nothing written, one write capacity unit still spent).
 *
 * @throws any other error of the client (throttling, validation, network), unchanged.
 */
export async function writeIf(
  client: DynamoDBDocumentClient,
  command: PutCommand | UpdateCommand | DeleteCommand,
): Promise<boolean> {
  try {
    // The union of commands has no common `send` overload; each one is a valid input.
    await client.send(command as UpdateCommand);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Sends one conditional Put, Update or Delete; when its `ConditionExpression` does not hold,
 * throws what `refused()` makes instead (a conflict in the service's error vocabulary).
 *
 * @throws `refused()`'s error; any other error of the client, unchanged.
 */
export async function writeOrThrow(
  client: DynamoDBDocumentClient,
  command: PutCommand | UpdateCommand | DeleteCommand,
  refused: () => Error,
): Promise<void> {
  if (!(await writeIf(client, command))) throw refused();
}
