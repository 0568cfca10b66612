/**
 * Real city centre coordinates (WGS 84, degrees, rounded to about 100 m) around which the
 * benchmark places geofences and pings. The list is embedded rather than read from a dataset
 * package so the run needs nothing beyond the project's dependencies. It spans every continent,
 * high latitudes (Tromsø, Longyearbyen, Utqiaġvik, McMurdo) and both sides of the antimeridian
 * (Suva, Anadyr, Nuku'alofa, Apia, and Waiyevo on Taveuni, which the 180° meridian crosses).
 */
export interface City {
  name: string;
  lat: number;
  lon: number;
}

/** The embedded list (about 60 places, every continent). */
export const CITIES: readonly City[] = [
  // Europe
  { name: "Paris", lat: 48.8566, lon: 2.3522 },
  { name: "London", lat: 51.5074, lon: -0.1278 },
  { name: "Berlin", lat: 52.52, lon: 13.405 },
  { name: "Madrid", lat: 40.4168, lon: -3.7038 },
  { name: "Rome", lat: 41.9028, lon: 12.4964 },
  { name: "Warsaw", lat: 52.2297, lon: 21.0122 },
  { name: "Stockholm", lat: 59.3293, lon: 18.0686 },
  { name: "Reykjavik", lat: 64.1466, lon: -21.9426 },
  { name: "Tromsø", lat: 69.6492, lon: 18.9553 },
  { name: "Longyearbyen", lat: 78.2232, lon: 15.6267 },
  { name: "Moscow", lat: 55.7558, lon: 37.6173 },
  { name: "Istanbul", lat: 41.0082, lon: 28.9784 },
  { name: "Lisbon", lat: 38.7223, lon: -9.1393 },
  // Africa
  { name: "Cairo", lat: 30.0444, lon: 31.2357 },
  { name: "Lagos", lat: 6.5244, lon: 3.3792 },
  { name: "Nairobi", lat: -1.2921, lon: 36.8219 },
  { name: "Addis Ababa", lat: 9.03, lon: 38.74 },
  { name: "Kinshasa", lat: -4.4419, lon: 15.2663 },
  { name: "Johannesburg", lat: -26.2041, lon: 28.0473 },
  { name: "Cape Town", lat: -33.9249, lon: 18.4241 },
  { name: "Casablanca", lat: 33.5731, lon: -7.5898 },
  // Asia
  { name: "Tokyo", lat: 35.6762, lon: 139.6503 },
  { name: "Seoul", lat: 37.5665, lon: 126.978 },
  { name: "Beijing", lat: 39.9042, lon: 116.4074 },
  { name: "Shanghai", lat: 31.2304, lon: 121.4737 },
  { name: "Mumbai", lat: 19.076, lon: 72.8777 },
  { name: "Delhi", lat: 28.6139, lon: 77.209 },
  { name: "Singapore", lat: 1.3521, lon: 103.8198 },
  { name: "Jakarta", lat: -6.2088, lon: 106.8456 },
  { name: "Bangkok", lat: 13.7563, lon: 100.5018 },
  { name: "Manila", lat: 14.5995, lon: 120.9842 },
  { name: "Dubai", lat: 25.2048, lon: 55.2708 },
  { name: "Petropavlovsk-Kamchatsky", lat: 53.0452, lon: 158.6483 },
  { name: "Anadyr", lat: 64.7337, lon: 177.5089 },
  // Oceania and the antimeridian
  { name: "Sydney", lat: -33.8688, lon: 151.2093 },
  { name: "Melbourne", lat: -37.8136, lon: 144.9631 },
  { name: "Auckland", lat: -36.8485, lon: 174.7633 },
  { name: "Wellington", lat: -41.2866, lon: 174.7756 },
  { name: "Suva", lat: -18.1416, lon: 178.4419 },
  { name: "Waiyevo (Taveuni)", lat: -16.79, lon: -179.98 },
  { name: "Nuku'alofa", lat: -21.1394, lon: -175.2018 },
  { name: "Apia", lat: -13.8333, lon: -171.7667 },
  { name: "Honolulu", lat: 21.3069, lon: -157.8583 },
  // Americas
  { name: "New York", lat: 40.7128, lon: -74.006 },
  { name: "Chicago", lat: 41.8781, lon: -87.6298 },
  { name: "Los Angeles", lat: 34.0522, lon: -118.2437 },
  { name: "Toronto", lat: 43.6532, lon: -79.3832 },
  { name: "Vancouver", lat: 49.2827, lon: -123.1207 },
  { name: "Anchorage", lat: 61.2181, lon: -149.9003 },
  { name: "Utqiaġvik", lat: 71.2906, lon: -156.7886 },
  { name: "Nuuk", lat: 64.1814, lon: -51.6941 },
  { name: "Mexico City", lat: 19.4326, lon: -99.1332 },
  { name: "Havana", lat: 23.1136, lon: -82.3666 },
  { name: "Bogotá", lat: 4.711, lon: -74.0721 },
  { name: "Lima", lat: -12.0464, lon: -77.0428 },
  { name: "São Paulo", lat: -23.5505, lon: -46.6333 },
  { name: "Buenos Aires", lat: -34.6037, lon: -58.3816 },
  { name: "Santiago", lat: -33.4489, lon: -70.6693 },
  { name: "Ushuaia", lat: -54.8019, lon: -68.303 },
  // Antarctica
  { name: "McMurdo Station", lat: -77.8419, lon: 166.6863 },
];
