/**
 * A minimal JSON client of the local HTTP API for the simulation scripts: sends the body as JSON
 * with the bearer token, and answers `{status, body}` (the body parsed, `undefined` when empty).
 */
export interface ApiInit {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Answer of `api()`: the HTTP status and the parsed JSON body (undefined when empty). */
export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the scripts read whatever the route answers.
  body: any;
}

/** A client of the API at `baseUrl` (e.g. `http://127.0.0.1:3000`). */
export function apiClient(baseUrl: string): (path: string, init?: ApiInit) => Promise<ApiAnswer> {
  return async (path, init = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * The point `eastM` metres east and `northM` metres north of `p` (equirectangular: fine for the
 * few kilometres a scenario spans; 111,320 m per degree of latitude).
 */
export function offsetM(
  p: { lat: number; lon: number },
  eastM: number,
  northM: number,
): { lat: number; lon: number } {
  return {
    lat: p.lat + northM / 111_320,
    lon: p.lon + eastM / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  };
}
