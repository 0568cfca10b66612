import {
  InternalServerException,
  LocationClient,
  SearchPlaceIndexForTextCommand,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-location";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { amazonLocationGeocoder } from "../../../shared/adapters/location/geocoder.ts";
import { ServiceUnavailableError, UnprocessableError } from "../../../shared/errors.ts";
import { placeSearchAnswer } from "../../support/location.ts";

const location = mockClient(LocationClient);
const client = new LocationClient({ region: "eu-west-1" });
const geocoder = amazonLocationGeocoder(client, { placeIndex: "footfall-places" });

afterEach(() => location.reset());

const place = (lon: number, lat: number, relevance: number) =>
  placeSearchAnswer({ label: "12 Rue X, Paris", lat, lon, relevance });

describe("Amazon Location geocoder", () => {
  it("returns the best match as lat/lon (Amazon Location points are [lon, lat])", async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves(place(2.347, 48.8584, 0.97));
    await expect(geocoder.geocode("12 Rue X, Paris")).resolves.toEqual({
      lat: 48.8584,
      lon: 2.347,
      label: "12 Rue X, Paris",
      relevance: 0.97,
    });
    const call = location.commandCalls(SearchPlaceIndexForTextCommand)[0];
    expect(call?.args[0].input).toMatchObject({
      IndexName: "footfall-places",
      Text: "12 Rue X, Paris",
    });
  });

  it("treats no result and a vague result as no match", async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves(placeSearchAnswer());
    await expect(geocoder.geocode("nowhere")).resolves.toBeUndefined();
    location.on(SearchPlaceIndexForTextCommand).resolves(place(2.35, 48.85, 0.4));
    await expect(geocoder.geocode("Paris-ish")).resolves.toBeUndefined();
  });

  it("answers 503 when the service is throttled or failing", async () => {
    location
      .on(SearchPlaceIndexForTextCommand)
      .rejects(
        new ThrottlingException({ message: "slow down", Message: "slow down", $metadata: {} }),
      );
    const throttled = geocoder.geocode("12 Rue X");
    await expect(throttled).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(throttled).rejects.toMatchObject({ status: 503 });
    location
      .on(SearchPlaceIndexForTextCommand)
      .rejects(new InternalServerException({ message: "boom", Message: "boom", $metadata: {} }));
    await expect(geocoder.geocode("12 Rue X")).rejects.toBeInstanceOf(ServiceUnavailableError);
    location.on(SearchPlaceIndexForTextCommand).rejects(new Error("socket hang up"));
    await expect(geocoder.geocode("12 Rue X")).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it("answers 422 naming address when the service refuses the text", async () => {
    location
      .on(SearchPlaceIndexForTextCommand)
      .rejects(
        new ValidationException({ message: "bad text", $metadata: {}, reason: "Other" } as never),
      );
    const refused = geocoder.geocode("\u0000");
    await expect(refused).rejects.toBeInstanceOf(UnprocessableError);
    await expect(refused).rejects.toMatchObject({ issues: [{ path: "address" }] });
  });

  it("answers 503 without calling anything when no place index is configured", async () => {
    const unconfigured = amazonLocationGeocoder(client, { placeIndex: undefined });
    await expect(unconfigured.geocode("12 Rue X")).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(location.commandCalls(SearchPlaceIndexForTextCommand)).toHaveLength(0);
  });
});
