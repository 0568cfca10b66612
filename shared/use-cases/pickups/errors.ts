/** Outcomes of pickup writes the store adapter reports (kept apart: adapters import only these). */

/** The pickup moved on since it was read (version), or the attach token is gone. */
export class PickupConflict extends Error {
  override readonly name = "PickupConflict";
}

/** The device already holds the most active pickups (`MAX_ACTIVE_PICKUPS_PER_DEVICE`). */
export class TooManyPickups extends Error {
  override readonly name = "TooManyPickups";
}

/** The device is erased or being erased: nothing may be attached to it. */
export class DeviceGone extends Error {
  override readonly name = "DeviceGone";
}
