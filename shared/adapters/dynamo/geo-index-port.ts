import type { GeoIndex, IndexedZone } from "../../use-cases/ports/geo-index-port.ts";

export type { GeoIndex, IndexedZone };
