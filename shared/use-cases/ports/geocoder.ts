/** A geocoded address: the point Amazon Location places it at, and its label. */
export interface GeocodeMatch {
  lat: number;
  lon: number;
  label: string | undefined;
  relevance: number;
}

/**
 * Port: turns a postal address into coordinates. Resolves `undefined` when nothing matches
 * well enough; throws `ServiceUnavailableError` when the service cannot answer, so the caller
 * stores nothing instead of a store at a guessed position.
 */
export interface Geocoder {
  geocode(address: string): Promise<GeocodeMatch | undefined>;
}
