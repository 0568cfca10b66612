/**
 * The incentives table's stream records, typed: what the incentive publisher acts on. A record
 * is decoded once into one of three changes, so the handler switches on a kind instead of
 * reading attribute maps.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import type { ExpiredCode } from "../../use-cases/incentives/expire.ts";

/** One change of the incentives table, as the publisher sees it. */
export type IncentiveStreamChange =
  /** An incentive written `pending` (granted, not yet published): publish it. */
  | { kind: "pending"; incentiveId: string }
  /** A code item removed by DynamoDB TTL (not by a person or the application). */
  | { kind: "codeExpired"; code: ExpiredCode }
  /** Anything else (sent incentives, visits, pickups, deletions): nothing to do. */
  | { kind: "other" };

/** Whether DynamoDB's TTL process removed the item (the record's `userIdentity`). */
function removedByTtl(record: DynamoDBRecord): boolean {
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return identity?.type === "Service" && identity.principalId === "dynamodb.amazonaws.com";
}

/** Decodes one stream record (Lambda's DynamoDB event shape) into the change it carries. */
export function incentiveStreamChange(record: DynamoDBRecord): IncentiveStreamChange {
  const old = record.dynamodb?.OldImage;
  if (record.eventName === "REMOVE") {
    if (old?.entity?.S === "code" && removedByTtl(record)) {
      return {
        kind: "codeExpired",
        code: unmarshall(old as Record<string, AttributeValue>) as ExpiredCode,
      };
    }
    return { kind: "other" };
  }
  const image = record.dynamodb?.NewImage;
  const incentiveId = image?.incentiveId?.S;
  if (image?.entity?.S === "incentive" && image.status?.S === "pending" && incentiveId) {
    return { kind: "pending", incentiveId };
  }
  return { kind: "other" };
}
