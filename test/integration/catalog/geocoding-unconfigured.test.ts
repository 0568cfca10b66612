import { describe, expect, it, vi } from "vitest";
import { handler as createStore } from "../../../functions/store-create.ts";
import { uniqueId } from "../../support/aws.ts";
import { addressedFootprintStore, errorPaths, invoke, LOUVRE, merchantItems } from "./helpers.ts";

// As in the local runner: no Amazon Location place index is configured.
vi.hoisted(() => {
  delete process.env.PLACE_INDEX_NAME;
});

describe("an address-only store without a configured geocoder", () => {
  it("answers 503 naming address and the setting to configure, and stores nothing", async () => {
    const as = { merchantId: uniqueId("m"), role: "merchant-admin" };
    const res = await invoke<{ detail: string; configure: string }>(createStore, as, {
      method: "POST",
      path: "/v1/stores",
      body: { name: "Café Lumière", address: "Rue de Rivoli, 75001 Paris" },
    });
    expect(res.status).toBe(503);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(errorPaths(res.body)).toEqual(["address"]);
    expect(res.body.detail).toContain("PLACE_INDEX_NAME");
    expect(res.body.configure).toBe("PLACE_INDEX_NAME");
    expect(await merchantItems(as.merchantId)).toEqual([]);
  });

  it("still creates a store that sends its footprint (nothing to geocode)", async () => {
    const as = { merchantId: uniqueId("m"), role: "merchant-admin" };
    const res = await invoke(createStore, as, {
      method: "POST",
      path: "/v1/stores",
      body: addressedFootprintStore(LOUVRE),
    });
    expect(res.status).toBe(201);
  });
});
