import { describe, expect, it } from "vitest";
import {
  packActions,
  TRANSACT_MAX_ACTIONS,
  TRANSACT_MAX_BYTES,
} from "../../../shared/adapters/dynamo/transact-groups.ts";

const action = (id: number, bytes = 10) => ({
  action: { Put: { TableName: "t", Item: { pk: `k${id}`, pad: "x".repeat(bytes) } } },
  keys: [`k${id}`],
});

describe("packActions", () => {
  it("packs at most 100 actions per transaction, in order", () => {
    const groups = packActions(Array.from({ length: 250 }, (_, i) => action(i)));
    expect(groups.map((g) => g.length)).toEqual([TRANSACT_MAX_ACTIONS, TRANSACT_MAX_ACTIONS, 50]);
    expect(groups.flat().map((a) => a.keys[0])).toEqual(
      Array.from({ length: 250 }, (_, i) => `k${i}`),
    );
  });

  it("starts a new transaction before the packed actions pass the byte budget", () => {
    const big = Math.floor(TRANSACT_MAX_BYTES / 3);
    const groups = packActions(Array.from({ length: 7 }, (_, i) => action(i, big)));
    expect(groups.map((g) => g.length)).toEqual([2, 2, 2, 1]);
  });

  it("keeps an action larger than the budget alone rather than dropping it", () => {
    const groups = packActions([action(0), action(1, TRANSACT_MAX_BYTES + 1), action(2)]);
    expect(groups.map((g) => g.map((a) => a.keys[0]))).toEqual([["k0"], ["k1"], ["k2"]]);
  });

  it("packs nothing from nothing", () => {
    expect(packActions([])).toEqual([]);
  });
});
