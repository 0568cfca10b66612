import { describe, expect, it } from "vitest";
import { decimalQuery, integerQuery } from "../../../shared/domain/query-number.ts";
import { NotFoundError, UnprocessableError, ValidationError } from "../../../shared/errors.ts";

const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? undefined : result.error?.issues[0]?.message;

describe("query numbers", () => {
  it("take plain decimal notation only", () => {
    for (const [text, value] of [
      ["48.8566", 48.8566],
      ["-2.35", -2.35],
      ["10", 10],
      [".5", 0.5],
      ["+3", 3],
    ] as const) {
      expect(decimalQuery().parse(text)).toBe(value);
    }
    for (const text of ["", "0x10", "1e3", " 7 ", "NaN", "1".repeat(33)]) {
      expect(issue(decimalQuery().safeParse(text))).toMatch(/^must be a decimal number/);
    }
  });

  it("take base-10 integers only", () => {
    expect(integerQuery().parse("25")).toBe(25);
    expect(integerQuery().parse("-4")).toBe(-4);
    for (const text of ["2.5", "", "0x10", "1e3", "1".repeat(17)]) {
      expect(issue(integerQuery().safeParse(text))).toMatch(/^must be an integer/);
    }
    expect(issue(integerQuery().safeParse(25))).toBe("must be an integer");
  });
});

describe("field errors", () => {
  it("name the field in the detail and as the single issue, in the class they are built on", () => {
    const errors = [
      ValidationError.field("pings/3/lat", "must be at most 90"),
      UnprocessableError.field("address", "matches no place"),
      NotFoundError.field("storeId", "not found"),
    ];
    expect(errors.map((e) => [e.constructor.name, e.status, e.detail, e.issues])).toEqual([
      [
        "ValidationError",
        400,
        "pings/3/lat: must be at most 90",
        [{ path: "pings/3/lat", reason: "must be at most 90" }],
      ],
      [
        "UnprocessableError",
        422,
        "address: matches no place",
        [{ path: "address", reason: "matches no place" }],
      ],
      ["NotFoundError", 404, "storeId: not found", [{ path: "storeId", reason: "not found" }]],
    ]);
  });
});
