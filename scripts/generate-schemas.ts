import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import * as z from "zod";
import { INCENTIVE_MESSAGE_VERSION, incentiveMessageSchema } from "../shared/domain/incentive.ts";
import { PICKUP_MESSAGE_VERSION, pickupMessageSchema } from "../shared/domain/pickup/message.ts";

/** Where the published JSON Schemas live, relative to the repository root. */
export const EVENTS_DIR = resolve(import.meta.dirname, "..", "events");

/** Stable public identity of a message schema: its name and version are part of the URL. */
function messageSchemaId(name: string, version: number | string): string {
  return `https://schemas.footfall.example/events/${name}/${version}.json`;
}

/** Stable public identity of the incentive message schema; the version is part of the URL. */
export const INCENTIVE_MESSAGE_SCHEMA_ID = messageSchemaId(
  "incentive-message",
  INCENTIVE_MESSAGE_VERSION,
);

/** Stable public identity of the pickup message schema; the version is part of the URL. */
export const PICKUP_MESSAGE_SCHEMA_ID = messageSchemaId("pickup-message", PICKUP_MESSAGE_VERSION);

/**
 * The JSON Schema (2020-12) of a topic message, derived from the zod schema its publisher uses
 * (named `source` in the `$comment`), so subscribers validate against exactly what is sent and
 * the two never drift.
 */
function messageJsonSchema(message: {
  schema: z.ZodType;
  id: string;
  title: string;
  version: number | string;
  source: string;
}): Record<string, unknown> {
  const generated = z.toJSONSchema(message.schema, { target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...body } = generated;
  return {
    $schema,
    $id: message.id,
    title: message.title,
    $comment: `Version ${message.version}. Generated from ${message.source} by scripts/generate-schemas.ts; do not edit by hand.`,
    ...body,
  };
}

/** The JSON Schema (2020-12) of the incentive topic message (`incentive.sent`). */
export function incentiveMessageJsonSchema(): Record<string, unknown> {
  return messageJsonSchema({
    schema: incentiveMessageSchema,
    id: INCENTIVE_MESSAGE_SCHEMA_ID,
    title: "Footfall incentive.sent message",
    version: INCENTIVE_MESSAGE_VERSION,
    source: "incentiveMessageSchema",
  });
}

/** The JSON Schema (2020-12) of the pickup messages (`pickup.*`) on the incentive topic. */
export function pickupMessageJsonSchema(): Record<string, unknown> {
  return messageJsonSchema({
    schema: pickupMessageSchema,
    id: PICKUP_MESSAGE_SCHEMA_ID,
    title: "Footfall pickup.* message",
    version: PICKUP_MESSAGE_VERSION,
    source: "pickupMessageSchema",
  });
}

/** Every generated schema: file name in `events/` → schema object. */
export function generatedSchemas(): Record<string, Record<string, unknown>> {
  return {
    "incentive-message.schema.json": incentiveMessageJsonSchema(),
    "pickup-message.schema.json": pickupMessageJsonSchema(),
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Writes the schema files whose content changed (then lets biome lay them out, as `npm run lint`
 * expects), or with `check` only lists them, so CI can refuse a message change that was not
 * published as a schema. Compares parsed JSON, so layout alone never makes a file stale.
 */
export function writeSchemas(check: boolean): string[] {
  const stale: string[] = [];
  for (const [name, schema] of Object.entries(generatedSchemas())) {
    const path = resolve(EVENTS_DIR, name);
    if (isDeepStrictEqual(readJson(path), schema)) continue;
    stale.push(name);
    if (check) continue;
    writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
    const biome = resolve(import.meta.dirname, "..", "node_modules", ".bin", "biome");
    if (existsSync(biome)) execFileSync(biome, ["format", "--write", path], { stdio: "ignore" });
  }
  return stale;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const stale = writeSchemas(check);
  for (const name of stale) console.log(`${check ? "stale" : "wrote"} events/${name}`);
  if (check && stale.length > 0) process.exit(1);
}
