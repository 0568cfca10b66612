import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** The checked-in JSON Schema of the incentive topic message, as subscribers read it. */
export const INCENTIVE_MESSAGE_SCHEMA_PATH = resolve(
  import.meta.dirname,
  "../../../events/incentive-message.schema.json",
);

export function checkedInMessageSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(INCENTIVE_MESSAGE_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
}

/**
 * A strict Ajv (2020-12, formats on) compiled from the checked-in file, the way an independent
 * subscriber would validate messages: no zod involved.
 */
export function messageValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(checkedInMessageSchema());
  return (message: unknown) => {
    const ok = validate(message);
    return { ok, errors: ok ? [] : (validate.errors ?? []) };
  };
}
