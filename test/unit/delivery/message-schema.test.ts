import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  generatedSchemas,
  INCENTIVE_MESSAGE_SCHEMA_ID,
  incentiveMessageJsonSchema,
  writeSchemas,
} from "../../../scripts/generate-schemas.ts";
import {
  INCENTIVE_MESSAGE_VERSION,
  type Incentive,
  incentiveMessageSchema,
} from "../../../shared/domain/incentive.ts";
import { incentiveMessage } from "../../../shared/use-cases/incentives/deliver.ts";
import { checkedInMessageSchema, messageValidator } from "./message-schema.ts";

const EVENTS = resolve(import.meta.dirname, "../../../events");
const readEvent = (name: string) => JSON.parse(readFileSync(resolve(EVENTS, name), "utf8"));

const validate = messageValidator();

/** Reads a stream image the way the SDK's unmarshall does, for the attribute types items use. */
function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.L) return value.L.map(fromAttribute);
  if (value.M) return unmarshall(value.M);
  throw new Error(`unsupported attribute ${JSON.stringify(value)}`);
}
function unmarshall(image: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fromAttribute(v)]));
}

const text = fc.string({ minLength: 1, maxLength: 30 });
/** Incentives as the sink writes them: every field a message needs is present. */
const incentiveArb: fc.Arbitrary<Incentive> = fc.record({
  incentiveId: text,
  merchantId: text,
  offerId: text,
  storeId: text,
  deviceId: fc.option(text, { nil: undefined }),
  outcome: fc.constant("sent" as const),
  status: fc.constant("pending" as const),
  code: text,
  codeKind: fc.constantFrom("unique" as const, "static" as const),
  title: text,
  body: fc.string({ minLength: 1, maxLength: 200 }),
  deepLink: fc.option(fc.webUrl(), { nil: undefined }),
  triggerType: fc.constantFrom("entered" as const, "dwelled" as const),
  zoneId: text,
  grantedAt: fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }),
  expiresAtMs: fc.option(fc.integer({ min: 1, max: Date.UTC(9999, 11, 31) }), { nil: undefined }),
  attributionWindowHours: fc.integer({ min: 1, max: 720 }),
});

/** Small edits a buggy producer could make: drop, retype or add a field, at the top or nested. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("entered", "dwelled", "unique", "static", "incentive.sent", "1.0", "2.0", ""),
);
type Edit =
  | { kind: "drop"; path: string[] }
  | { kind: "set"; path: string[]; value: unknown }
  | { kind: "add"; path: string[]; value: unknown };
const fieldPath = fc.constantFrom(
  ...[
    "schemaVersion",
    "eventType",
    "incentiveId",
    "merchantId",
    "offerId",
    "storeId",
    "deviceRef",
    "trigger",
    "grantedAt",
    "expiresAt",
    "redemption",
    "message",
    "redemption.code",
    "redemption.kind",
    "message.title",
    "message.body",
    "message.deepLink",
  ].map((p) => p.split(".")),
);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fieldPath.map((path) => ({ kind: "drop" as const, path })),
  fc.record({ kind: fc.constant("set" as const), path: fieldPath, value: anyValue }),
  fc.record({
    kind: fc.constant("add" as const),
    path: fc.constantFrom<string[]>(["extra"], ["redemption", "extra"], ["message", "extra"]),
    value: anyValue,
  }),
);

function applyEdit(message: unknown, edit: Edit): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of edit.path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== "object" || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  const last = edit.path[edit.path.length - 1] ?? "";
  if (edit.kind === "drop") delete target[last];
  else target[last] = edit.value;
  return copy;
}

describe("incentive message schema (events/incentive-message.schema.json)", () => {
  it("is exactly what the generator derives from the zod schema", () => {
    expect(checkedInMessageSchema()).toEqual(incentiveMessageJsonSchema());
    expect(writeSchemas(true)).toEqual([]);
    expect(Object.keys(generatedSchemas())).toEqual([
      "incentive-message.schema.json",
      "pickup-message.schema.json",
    ]);
  });

  it("is a versioned 2020-12 schema whose $id and const carry the message version", () => {
    const schema = checkedInMessageSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(INCENTIVE_MESSAGE_SCHEMA_ID);
    expect(String(schema.$id)).toContain(`/${INCENTIVE_MESSAGE_VERSION}.json`);
    expect(schema).toMatchObject({
      additionalProperties: false,
      properties: { schemaVersion: { const: INCENTIVE_MESSAGE_VERSION } },
    });
  });

  it("accepts the sample message and rejects it without any one required field", () => {
    const sample = readEvent("incentive-message.json");
    expect(validate(sample)).toEqual({ ok: true, errors: [] });
    const required = checkedInMessageSchema().required as string[];
    expect(required).toContain("incentiveId");
    for (const field of required) {
      const { [field]: _dropped, ...rest } = sample;
      const result = validate(rest);
      expect(result.ok, field).toBe(false);
      expect(result.errors[0]).toMatchObject({
        keyword: "required",
        params: { missingProperty: field },
      });
    }
  });

  it("rejects a grantedAt that is not an RFC 3339 UTC instant", () => {
    const sample = readEvent("incentive-message.json");
    for (const bad of [
      "2026-11-24",
      "2026-02-30T12:00:00Z",
      "2026-11-24T12:00:00+01:00",
      "yesterday",
    ]) {
      expect(validate({ ...sample, grantedAt: bad }).ok, bad).toBe(false);
    }
  });

  it("validates every message the publisher builds from a stored incentive", () => {
    fc.assert(
      fc.property(incentiveArb, text, (incentive, deviceRef) => {
        const message = incentiveMessage(incentive, deviceRef);
        const result = validate(JSON.parse(JSON.stringify(message)));
        expect(result.errors).toEqual([]);
        expect(incentiveMessageSchema.safeParse(message).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with the zod schema on edited messages (same verdict for every edit)", () => {
    fc.assert(
      fc.property(
        incentiveArb,
        text,
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        (inc, ref, edits) => {
          const edited = edits.reduce(applyEdit, incentiveMessage(inc, ref) as unknown);
          expect(validate(edited).ok).toBe(incentiveMessageSchema.safeParse(edited).success);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("sample events", () => {
  it("the sample stream record is a newly pending incentive whose message is the sample message", () => {
    const event = readEvent("incentive-stream-event.json");
    const record = event.Records[0];
    expect(record.eventName).toBe("INSERT");
    const image = record.dynamodb.NewImage as Record<string, AttributeValue>;
    expect(image.entity).toEqual({ S: "incentive" });
    expect(image.status).toEqual({ S: "pending" });
    const incentive = unmarshall(image) as unknown as Incentive;
    expect(record.dynamodb.Keys).toEqual({ pk: image.pk, sk: image.sk });
    const sample = readEvent("incentive-message.json");
    expect(incentiveMessage(incentive, sample.deviceRef)).toEqual(sample);
  });
});
