import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ConfigError, readConfig } from "../../../shared/config/read-config.ts";
import { windowLimitVars } from "../../../shared/wiring/window-limits.ts";

const DEFAULTS = { perDevice: 30, perStore: 100, windowMs: 15 * 60_000 };

const limits = windowLimitVars(
  DEFAULTS,
  {
    perDevice: { env: "TEST_MAX_PER_DEVICE", max: 1_000, describe: "Attempts per device" },
    perStore: { env: "TEST_MAX_PER_STORE", max: 10_000, describe: "Attempts per store" },
  },
  "TEST_WINDOW_SECONDS",
);
const schema = z.object({ ...limits.shape });

describe("window limit variables", () => {
  it("default to the use case's limits, the window in seconds", () => {
    expect(limits.from(readConfig(schema, {}))).toEqual(DEFAULTS);
  });

  it("read each count and the window (seconds in, milliseconds out)", () => {
    const env = {
      TEST_MAX_PER_DEVICE: "5",
      TEST_MAX_PER_STORE: "10000",
      TEST_WINDOW_SECONDS: "60",
    };
    expect(limits.from(readConfig(schema, env))).toEqual({
      perDevice: 5,
      perStore: 10_000,
      windowMs: 60_000,
    });
  });

  it("fail the cold start naming a count outside [1, max] or not whole", () => {
    for (const [name, value] of [
      ["TEST_MAX_PER_DEVICE", "0"],
      ["TEST_MAX_PER_DEVICE", "1001"],
      ["TEST_MAX_PER_STORE", "2.5"],
      ["TEST_WINDOW_SECONDS", "-1"],
    ] as const) {
      const read = () => readConfig(schema, { [name]: value });
      expect(read, `${name}=${value}`).toThrow(ConfigError);
      expect(read, `${name}=${value}`).toThrow(new RegExp(name));
    }
  });

  it("describe each count for readers of the configuration", () => {
    expect(schema.shape.TEST_MAX_PER_DEVICE.description).toBe("Attempts per device");
    expect(schema.shape.TEST_MAX_PER_STORE.description).toBe("Attempts per store");
  });
});
