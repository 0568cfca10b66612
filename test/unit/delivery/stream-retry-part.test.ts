import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { retriedPart } from "../../../scripts/local/stream-poller.ts";
import { incentiveStreamChange } from "../../../shared/adapters/dynamo/incentive-stream.ts";

const record = (seq: string): DynamoDBRecord => ({ dynamodb: { SequenceNumber: seq } });
const batch = ["100", "200", "300", "400", "500"].map(record);
const seqs = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);

describe("local stream mapping: what a partial batch response retries (as Lambda does)", () => {
  it("nothing when no failure is reported", () => {
    expect(retriedPart(batch, { batchItemFailures: [] })).toEqual([]);
    expect(retriedPart(batch, undefined)).toEqual([]);
    expect(retriedPart(batch, { batchItemFailures: null })).toEqual([]);
  });

  it("from the failed record on, never the records before it", () => {
    expect(seqs(retriedPart(batch, { batchItemFailures: [{ itemIdentifier: "300" }] }))).toEqual([
      "300",
      "400",
      "500",
    ]);
  });

  it("from the lowest sequence number reported, whatever the order of the list", () => {
    const out = retriedPart(batch, {
      batchItemFailures: [{ itemIdentifier: "400" }, { itemIdentifier: "200" }],
    });
    expect(seqs(out)).toEqual(["200", "300", "400", "500"]);
  });

  it("the whole batch when an identifier is empty, null or names no record", () => {
    for (const itemIdentifier of ["", null, "999"]) {
      const out = retriedPart(batch, {
        batchItemFailures: [{ itemIdentifier: "400" }, { itemIdentifier }],
      });
      expect(seqs(out)).toEqual(seqs(batch));
    }
  });
});

describe("incentive stream records, typed", () => {
  it("a pending incentive, a TTL-expired code and anything else", () => {
    expect(
      incentiveStreamChange({
        eventName: "INSERT",
        dynamodb: {
          NewImage: {
            entity: { S: "incentive" },
            status: { S: "pending" },
            incentiveId: { S: "inc_1" },
          },
        },
      }),
    ).toEqual({ kind: "pending", incentiveId: "inc_1" });
    const ttl = {
      eventName: "REMOVE",
      userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" },
      dynamodb: { OldImage: { entity: { S: "code" }, status: { S: "issued" } } },
    } as DynamoDBRecord;
    expect(incentiveStreamChange(ttl)).toEqual({
      kind: "codeExpired",
      code: { entity: "code", status: "issued" },
    });
    // A person deleting a code is not an expiry; a sent incentive is not published again.
    expect(incentiveStreamChange({ ...ttl, userIdentity: undefined })).toEqual({ kind: "other" });
    expect(
      incentiveStreamChange({
        eventName: "MODIFY",
        dynamodb: {
          NewImage: { entity: { S: "incentive" }, status: { S: "sent" }, incentiveId: { S: "i" } },
        },
      }),
    ).toEqual({ kind: "other" });
  });
});
