import { describe, expect, it } from "vitest";
import { listQuerySchema } from "../../../shared/domain/catalog/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { etag, parseIfMatch } from "../../../shared/http/if-match.ts";
import { parseWith } from "../../../shared/http/parse.ts";
import { validationPaths } from "../../support/validation.ts";

describe("If-Match", () => {
  it("reads the ETag we send, weak or bare, and ignores * and absence", () => {
    expect(parseIfMatch(etag(3))).toBe(3);
    expect(parseIfMatch('W/"7"')).toBe(7);
    expect(parseIfMatch("12")).toBe(12);
    expect(parseIfMatch("*")).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it("names If-Match when it is not a version", () => {
    for (const bad of ['"abc"', "0", "-1", '"1", "2"', "1.5"]) {
      expect(validationPaths(() => parseIfMatch(bad))).toEqual(["If-Match"]);
    }
  });
});

describe("list query", () => {
  it("defaults to 25 and caps the page size at 100", () => {
    expect(parseWith(listQuerySchema, {})).toEqual({ limit: 25 });
    expect(parseWith(listQuerySchema, { limit: "100" }).limit).toBe(100);
    expect(validationPaths(() => parseWith(listQuerySchema, { limit: "101" }))).toEqual(["limit"]);
    expect(validationPaths(() => parseWith(listQuerySchema, { limit: "0" }))).toEqual(["limit"]);
    expect(validationPaths(() => parseWith(listQuerySchema, { limit: "ten" }))).toEqual(["limit"]);
  });

  it("names unknown query parameters (a merchantId in the query is not how tenancy works)", () => {
    expect(validationPaths(() => parseWith(listQuerySchema, { merchantId: "m_other" }))).toEqual([
      "merchantId",
    ]);
  });

  it("is a ValidationError (400)", () => {
    expect(() => parseWith(listQuerySchema, { limit: "-3" })).toThrow(ValidationError);
  });
});
