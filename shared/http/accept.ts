/** Content negotiation on the Accept header (RFC 9110 §12.5.1), for CSV-or-JSON routes. */

/** Quality of one media type in an Accept header (0 when absent). */
export function quality(accept: string, mediaType: string): number {
  let best = 0;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(value)) best = Math.max(best, value);
  }
  return best;
}

/** CSV when the caller asks for text/csv at least as much as for JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const csv = quality(accept, "text/csv");
  return csv > 0 && csv >= quality(accept, "application/json");
}

/** A CSV response: attachment with a file name, never cached. */
export function csvResult(body: string, filename: string, headers: Record<string, string> = {}) {
  return {
    statusCode: 200,
    headers: {
      "cache-control": "no-store",
      vary: "accept",
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      ...headers,
    },
    body,
  };
}
