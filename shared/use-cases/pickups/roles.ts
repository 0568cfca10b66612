import type { Role } from "../../auth/principal.ts";

/** Roles that create pickups (the merchant's backend) and that work the staff board. */
export const PICKUP_CREATE_ROLES: readonly Role[] = ["merchant-admin"];
export const PICKUP_STAFF_ROLES: readonly Role[] = ["merchant-admin", "pos"];
