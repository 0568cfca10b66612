/** Calls to the Footfall report API on this origin, with the signed-in merchant token. */

const TOKEN_KEY = "footfall.token";

/** The token kept for this tab (sessionStorage: gone when the tab closes). */
export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An API error with the problem+json detail when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(path: string, accept: string): Promise<Response> {
  const t = token();
  const res = await fetch(path, {
    headers: { accept, ...(t ? { authorization: `Bearer ${t}` } : {}) },
  });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body = (await res.json()) as { detail?: string; title?: string };
      detail = body.detail ?? body.title ?? detail;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, detail);
  }
  return res;
}

/** GET a JSON resource of the API. */
export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path, "application/json")).json()) as T;
}

/** GET the CSV form of a resource and hand it to the browser as a download. */
export async function downloadCsv(path: string, fallbackName: string): Promise<void> {
  const res = await request(path, "text/csv");
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Query string of the defined values. */
export function qs(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => !!e[1]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : "";
}
