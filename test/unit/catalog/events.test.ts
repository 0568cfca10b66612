import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../../infra/routes.ts";
import {
  offerInputSchema,
  parseStoreImport,
  storeInputSchema,
} from "../../../shared/domain/catalog/index.ts";
import { linkInputSchema } from "../../../shared/domain/o2o/link.ts";

const EVENTS = resolve(import.meta.dirname, "..", "..", "..", "events");

const SAMPLES: Record<string, ((body: unknown) => boolean) | undefined> = {
  "store-create": (b) => storeInputSchema.safeParse(b).success,
  "store-update": (b) => storeInputSchema.safeParse(b).success,
  "store-import": (b) => parseStoreImport(b).ok,
  "offer-create": (b) => offerInputSchema.safeParse(b).success,
  "offer-update": (b) => offerInputSchema.safeParse(b).success,
  "store-list": undefined,
  "store-get": undefined,
  "store-delete": undefined,
  "offer-list": undefined,
  "offer-get": undefined,
  "offer-delete": undefined,
  "offer-pause": undefined,
  "offer-resume": undefined,
  "link-create": (b) => linkInputSchema.safeParse(b).success,
};

describe("sample events (npm run invoke)", () => {
  for (const [name, valid] of Object.entries(SAMPLES)) {
    it(`${name}.json targets its route and carries a valid body`, () => {
      const event = JSON.parse(readFileSync(resolve(EVENTS, `${name}.json`), "utf8"));
      const route = ROUTES.find((r) => `${r.method} ${r.path}` === event.routeKey);
      expect(route?.fn).toBe(name);
      expect(event.requestContext.authorizer.jwt.claims["custom:merchantId"]).toBe("m_demo");
      if (valid) expect(valid(JSON.parse(event.body))).toBe(true);
      else expect(event.body).toBeUndefined();
    });
  }
});
