/**
 * Optional PostGIS stage: the same zones and the same pings answered by PostgreSQL + PostGIS
 * (Debian packages `postgresql-15` and `postgresql-15-postgis-3`), in one batched query over a
 * GiST index, side by side with Footfall.
 *
 * `startPostgis` starts a private, throw-away cluster (initdb in a temporary directory, Unix
 * socket only, no TCP port; as the `postgres` user when the bench runs as root) and returns how
 * to reach it, or the reason the stage is skipped (no PostgreSQL or no PostGIS installed: CI
 * installs neither). `measurePostgis` loads the zones and pings of one size and times the join.
 *
 * Semantics are Footfall's: a circle holds a point within its radius on the sphere
 * (`ST_DWithin` on geography, sphere not spheroid); a polygon holds a point by planar
 * longitude/latitude containment (`ST_Covers` on geometry, RFC 7946: edges straight in
 * lon/lat), rings unwrapped across the antimeridian. Candidates come from a GiST index on each
 * zone's bounding box (the bench's own boxes, unwrapped longitudes); a ping within 1° of the
 * antimeridian is also probed at lon ± 360°. Differences within 5 cm of a zone's boundary
 * (the sphere radii differ by 0.03 ppm) are counted as undecided, not as disagreements.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchZone } from "../geofences.ts";
import { turfVerdict } from "./engines.ts";

const PG_BIN = "/usr/lib/postgresql/15/bin";
const POSTGIS_CONTROL = "/usr/share/postgresql/15/extension/postgis.control";

/** A running private cluster. */
export interface PostgisServer {
  dir: string;
  socketDir: string;
  port: number;
  version: string;
  stop(): void;
}

/** One size's PostGIS figures. */
export interface PostgisResult {
  version: string;
  /** Median "Execution Time" of the batched join (EXPLAIN ANALYZE, one backend, no parallel workers), µs per ping. */
  usPerPing: number;
  /** Wall time of loading zones and building the GiST index, ms. */
  loadMs: number;
  pings: number;
  /** Pings whose zone set equals Footfall's. */
  agreeing: number;
  /** Pings whose sets differ beyond 5 cm of a boundary. */
  disagreements: number;
  /** Pings whose sets differ only within 5 cm of a boundary. */
  undecided: number;
  /** (ping, zone) pairs PostGIS found. */
  pairs: number;
}

function asPostgres(): string[] {
  return process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
}

function run(cmd: string[], input?: string): string {
  const [file, ...args] = cmd as [string, ...string[]];
  return execFileSync(file, args, {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Starts a private cluster, or says why the stage is skipped. */
export function startPostgis(): PostgisServer | { skipped: string } {
  if (!existsSync(join(PG_BIN, "initdb"))) {
    return { skipped: `PostgreSQL 15 is not installed (${PG_BIN}/initdb missing)` };
  }
  if (!existsSync(POSTGIS_CONTROL)) {
    return {
      skipped:
        "PostGIS is not installed (Debian package postgresql-15-postgis-3; CI does not install it)",
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "footfall-pg-"));
  const socketDir = join(dir, "sock");
  const data = join(dir, "data");
  const port = 5433 + (process.pid % 1000);
  try {
    if (process.getuid?.() === 0) {
      const uid = Number(run(["id", "-u", "postgres"]).trim());
      const gid = Number(run(["id", "-g", "postgres"]).trim());
      chownSync(dir, uid, gid);
    }
    run([...asPostgres(), "mkdir", "-p", socketDir]);
    run([
      ...asPostgres(),
      join(PG_BIN, "initdb"),
      "-D",
      data,
      "-U",
      "postgres",
      "--no-sync",
      "-A",
      "trust",
    ]);
    run([
      ...asPostgres(),
      join(PG_BIN, "pg_ctl"),
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${socketDir} -c listen_addresses='' -c fsync=off -c shared_buffers=512MB -c work_mem=256MB -c max_parallel_workers_per_gather=0 -c jit=off`,
      "start",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `PostgreSQL did not start: ${(error as Error).message.split("\n")[0]}` };
  }
  const server: PostgisServer = {
    dir,
    socketDir,
    port,
    version: "",
    stop() {
      spawnSync(asPostgres()[0] ?? join(PG_BIN, "pg_ctl"), [
        ...asPostgres().slice(1),
        ...(asPostgres().length ? [join(PG_BIN, "pg_ctl")] : []),
        "-D",
        data,
        "-m",
        "immediate",
        "stop",
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    psql(server, "CREATE EXTENSION IF NOT EXISTS postgis;");
    server.version = psql(
      server,
      "SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version();",
    ).trim();
  } catch (error) {
    server.stop();
    return { skipped: `PostGIS extension unavailable: ${(error as Error).message.split("\n")[0]}` };
  }
  return server;
}

/** Runs SQL through psql (unaligned, tuples only); returns its standard output. */
export function psql(server: Pick<PostgisServer, "socketDir" | "port">, sql: string): string {
  return run(
    [
      join(PG_BIN, "psql"),
      "-X",
      "-q",
      "-A",
      "-t",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      server.socketDir,
      "-p",
      String(server.port),
      "-U",
      "postgres",
      "-d",
      "postgres",
    ],
    sql,
  );
}

/**
 * Loads zones [0, n) and the pings into the cluster, times the batched join (median of
 * `passes`), and compares its answers with Footfall's (`footfall[i]`: zone numbers of ping i).
 */
export function measurePostgis(options: {
  server: Pick<PostgisServer, "socketDir" | "port" | "version">;
  zones: (z: number) => BenchZone;
  n: number;
  boxes: Float64Array;
  lats: Float64Array;
  lons: Float64Array;
  pings: number;
  footfall: number[][];
  passes: number;
}): PostgisResult {
  const { server, n, boxes, lats, lons, pings } = options;
  const dir = mkdtempSync(join(tmpdir(), "footfall-pgdata-"));
  try {
    const zoneRows: string[] = [];
    for (let z = 0; z < n; z++) {
      const zone = options.zones(z);
      const w = boxes[4 * z] as number;
      const s = boxes[4 * z + 1] as number;
      const e = boxes[4 * z + 2] as number;
      const nn = boxes[4 * z + 3] as number;
      const g = zone.geometry;
      let circle = "";
      let poly = "";
      if (g.type === "Circle")
        circle = `SRID=4326;POINT(${g.center.lon} ${g.center.lat})\t${g.radiusM}`;
      else {
        const ring = (zone.ring ?? []).map(([x, y]) => `${x} ${y}`).join(",");
        poly = `SRID=4326;POLYGON((${ring}))`;
      }
      const [c, r] = circle ? circle.split("\t") : ["\\N", "\\N"];
      zoneRows.push(
        `${z}\t${c}\t${r}\t${poly || "\\N"}\tSRID=4326;POLYGON((${w} ${s},${e} ${s},${e} ${nn},${w} ${nn},${w} ${s}))`,
      );
    }
    const zonesFile = join(dir, "zones.tsv");
    writeFileSync(zonesFile, `${zoneRows.join("\n")}\n`);
    const pingRows: string[] = [];
    for (let i = 0; i < pings; i++) {
      const lat = lats[i] as number;
      const lon = lons[i] as number;
      pingRows.push(`${i}\t${lon}\t${lat}\t${lon}`);
      if (lon > 179) pingRows.push(`${i}\t${lon}\t${lat}\t${lon - 360}`);
      if (lon < -179) pingRows.push(`${i}\t${lon}\t${lat}\t${lon + 360}`);
    }
    const pingsFile = join(dir, "pings.tsv");
    writeFileSync(pingsFile, `${pingRows.join("\n")}\n`);
    if (process.getuid?.() === 0) {
      const uid = Number(run(["id", "-u", "postgres"]).trim());
      chownSync(dir, uid, 0);
      chownSync(zonesFile, uid, 0);
      chownSync(pingsFile, uid, 0);
    }
    const t0 = performance.now();
    psql(
      server,
      `DROP TABLE IF EXISTS zones, pings;
       CREATE TABLE zones (id int, center geography(Point, 4326), radius float8,
         poly geometry(Polygon, 4326), box geometry(Polygon, 4326));
       COPY zones FROM '${zonesFile}';
       CREATE INDEX zones_box ON zones USING gist (box);
       CREATE TABLE pings (id int, lon float8, lat float8, probe_lon float8,
         pt geography(Point, 4326), probe geometry(Point, 4326));
       CREATE TEMP TABLE raw (id int, lon float8, lat float8, probe_lon float8);
       COPY raw FROM '${pingsFile}';
       INSERT INTO pings SELECT id, lon, lat, probe_lon,
         ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
         ST_SetSRID(ST_MakePoint(probe_lon, lat), 4326) FROM raw;
       ANALYZE zones; ANALYZE pings;`,
    );
    const loadMs = performance.now() - t0;
    const join_ = `SELECT DISTINCT p.id, z.id FROM pings p JOIN zones z ON z.box && p.probe
      WHERE (z.radius IS NOT NULL AND ST_DWithin(z.center, p.pt, z.radius, false))
         OR (z.poly IS NOT NULL AND ST_Covers(z.poly, p.probe))`;
    // Warm-up (buffers, caches), then timed passes.
    psql(server, `SELECT count(*) FROM (${join_}) q;`);
    const times: number[] = [];
    for (let r = 0; r < options.passes; r++) {
      const plan = JSON.parse(
        psql(server, `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${join_};`),
      ) as { "Execution Time": number }[];
      times.push((plan[0] as { "Execution Time": number })["Execution Time"]);
    }
    times.sort((a, b) => a - b);
    const executionMs = times[Math.floor(times.length / 2)] as number;
    const found: number[][] = Array.from({ length: pings }, () => []);
    let pairs = 0;
    for (const line of psql(server, `COPY (${join_}) TO STDOUT;`).split("\n")) {
      if (!line) continue;
      const [p, z] = line.split("\t").map(Number) as [number, number];
      (found[p] as number[]).push(z);
      pairs++;
    }
    let agreeing = 0;
    let disagreements = 0;
    let undecided = 0;
    for (let i = 0; i < pings; i++) {
      const a = new Set(options.footfall[i]);
      const b = new Set(found[i]);
      const differing = [...a].filter((z) => !b.has(z)).concat([...b].filter((z) => !a.has(z)));
      if (differing.length === 0) {
        agreeing++;
        continue;
      }
      // Within 5 cm of the boundary (turf's verdict undecided): either answer is right.
      const nearEdge = differing.every(
        (z) => turfVerdict(options.zones(z), lats[i] as number, lons[i] as number) === undefined,
      );
      if (nearEdge) undecided++;
      else disagreements++;
    }
    psql(server, "DROP TABLE zones, pings;");
    return {
      version: server.version,
      usPerPing: (executionMs * 1000) / pings,
      loadMs,
      pings,
      agreeing,
      disagreements,
      undecided,
      pairs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
