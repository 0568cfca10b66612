import {
  type LocationClient,
  SearchPlaceIndexForTextCommand,
  type SearchPlaceIndexForTextCommandOutput,
} from "@aws-sdk/client-location";
import { FootfallError, ServiceUnavailableError, UnprocessableError } from "../../errors.ts";
import type { GeocodeMatch, Geocoder } from "../../use-cases/ports/geocoder.ts";

export type { GeocodeMatch, Geocoder };

export interface AmazonLocationGeocoderOptions {
  /** Place index name (PLACE_INDEX_NAME); without one every call answers 503. */
  placeIndex: string | undefined;
  /** Matches below this relevance (0–1) count as no match. Default 0.8. */
  minRelevance?: number;
}

/** The one service error that is about the input rather than the service's health. */
function isInvalidInput(error: unknown): boolean {
  return (error as { name?: string }).name === "ValidationException";
}

/**
 * Amazon Location adapter (`SearchPlaceIndexForText`). Only the best result is considered and
 * only when it is relevant enough: a store placed at a vague match (a city centroid for a typo'd
 * street) would trigger offers in the wrong place, which is worse than asking for coordinates.
 */
export function amazonLocationGeocoder(
  client: LocationClient,
  options: AmazonLocationGeocoderOptions,
): Geocoder {
  const minRelevance = options.minRelevance ?? 0.8;
  return {
    async geocode(address) {
      if (!options.placeIndex) {
        const reason =
          "cannot be geocoded: no geocoder is configured (set PLACE_INDEX_NAME to an Amazon " +
          "Location place index); send the store's location or footprint instead";
        throw new ServiceUnavailableError(`address: ${reason}`, {
          issues: [{ path: "address", reason }],
          extensions: { configure: "PLACE_INDEX_NAME" },
        });
      }
      let results: SearchPlaceIndexForTextCommandOutput["Results"];
      try {
        const out = await client.send(
          new SearchPlaceIndexForTextCommand({
            IndexName: options.placeIndex,
            Text: address,
            MaxResults: 1,
          }),
        );
        results = out.Results;
      } catch (error) {
        if (error instanceof FootfallError) throw error;
        if (isInvalidInput(error)) {
          throw UnprocessableError.field("address", "the geocoder cannot read this address");
        }
        throw new ServiceUnavailableError(
          "The geocoder is unavailable; nothing was stored. Retry later or send a location.",
          { cause: error },
        );
      }
      const best = results?.[0];
      const point = best?.Place?.Geometry?.Point;
      const [lon, lat] = point ?? [];
      if (!best || lon === undefined || lat === undefined) return undefined;
      const relevance = best.Relevance ?? 0;
      if (relevance < minRelevance) return undefined;
      return { lat, lon, label: best.Place?.Label, relevance };
    },
  };
}
