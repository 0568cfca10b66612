/** One match of a place search: its label, its point and the service's relevance (0-1). */
export interface PlaceMatch {
  label: string;
  lat: number;
  lon: number;
  relevance: number;
}

/**
 * Amazon Location's answer to `SearchPlaceIndexForText` holding `matches`, best first (none: the
 * address matched nothing). Points are written `[lon, lat]`, as the service writes them.
 */
export function placeSearchAnswer(...matches: PlaceMatch[]) {
  return {
    Summary: { Text: "x", DataSource: "Esri" },
    Results: matches.map((match) => ({
      Place: { Label: match.label, Geometry: { Point: [match.lon, match.lat] } },
      Relevance: match.relevance,
    })),
  };
}
