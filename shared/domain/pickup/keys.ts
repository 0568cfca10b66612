/**
 * Where pickups live: the incentives table (the ping path already writes it), one item per
 * pickup under a merchant-scoped key, so another tenant's id finds nothing. Active pickups carry
 * the sparse `gsi1` keys of their store's board (ended ones those of the store's pickup metrics);
 * the one-time attach token is an item keyed by
 * its SHA-256 (the token itself is never stored), expired by TTL.
 */
export const pickupKeys = {
  pickup: (merchantId: string, pickupId: string) => ({
    pk: `PICKUP#${merchantId}#${pickupId}`,
    sk: "PICKUP",
  }),
  /** The staff board of a store: active pickups only, by promised time. */
  board: (merchantId: string, storeId: string) => `PICKUPS#${merchantId}#${storeId}`,
  /**
   * The ended pickups of a store (state timestamps only), by promised time, for the pickup
   * metrics: an ended pickup moves from the board's partition to this one.
   */
  finished: (merchantId: string, storeId: string) => `PICKUPSENDED#${merchantId}#${storeId}`,
  boardSort: (promisedAt: number, pickupId: string) =>
    `${new Date(promisedAt).toISOString()}#${pickupId}`,
  attachToken: (tokenHash: string) => ({ pk: `PICKUPTOKEN#${tokenHash}`, sk: "PICKUPTOKEN" }),
};

/**
 * A device's reference to an active pickup, kept in a string set (`pickupRefs`) on the device
 * profile: the device authorizer reads the profile anyway, so the ping path knows at no cost
 * whether a device has an active pickup.
 */
export const pickupRef = {
  of: (merchantId: string, pickupId: string) => `${merchantId}|${pickupId}`,
  parse(ref: string): { merchantId: string; pickupId: string } | undefined {
    const at = ref.lastIndexOf("|");
    if (at <= 0 || at === ref.length - 1) return undefined;
    return { merchantId: ref.slice(0, at), pickupId: ref.slice(at + 1) };
  },
};

/** Active pickups a device may hold at once. */
export const MAX_ACTIVE_PICKUPS_PER_DEVICE = 5;
