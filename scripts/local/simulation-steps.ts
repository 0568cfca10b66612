/**
 * Steps the simulators (scripts/simulate*.ts) share, bound once to the running server and the
 * run's callers: create the scenario's offer on the demo stores, register a phone, run the
 * phones a few at a time, then read the report and delete the offer unless it is kept.
 */
import { type ApiAnswer, apiClient } from "./api-client.ts";
import { DEMO_STORES } from "./seed.ts";

const DAY_MS = 86_400_000;

/** The server and callers of one simulation run. */
export interface SimulationRun {
  /** The local server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The demo app's key (device registration). */
  appKey: string;
  /** Merchant tokens: `merchant-admin` (offers) and `marketing-analyst` (reports). */
  admin: string;
  analyst: string;
  /** Keep the scenario's offer at the end instead of deleting it. */
  keep: boolean;
}

/** What every scenario of `npm run simulate` is given besides its own settings. */
export interface ScenarioContext extends SimulationRun {
  /** The run's seeded PRNG (reproducible runs). */
  random: () => number;
  /** Phones to simulate, and how many at a time. */
  devices: number;
  concurrency: number;
  /** Start of the scenario offer's name, by which leftovers of earlier runs are found. */
  namePrefix: string;
}

/** `Simulation: coffee on us` → `Simulation: coffee on us (2026-11-30 19:20 UTC)`. */
export function runName(prefix: string, at: Date = new Date()): string {
  return `${prefix} (${at.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
}

/** The shared steps of a simulation run, on the run's server with its callers. */
export function simulationSteps(run: SimulationRun) {
  const api = apiClient(run.url);
  return {
    /** The API client of the run's server. */
    api,

    /**
     * Creates the scenario's offer named `runName(namePrefix)` on every demo store, valid from a
     * day ago to a week ahead unless `offer` says otherwise. Resolves to its id, or undefined
     * (after printing why) when refused.
     */
    async createOffer(
      what: string,
      namePrefix: string,
      offer: Record<string, unknown>,
    ): Promise<string | undefined> {
      const res = await api("/v1/offers", {
        method: "POST",
        token: run.admin,
        body: {
          name: runName(namePrefix),
          storeIds: DEMO_STORES.map((s) => s.storeId),
          validFrom: new Date(Date.now() - DAY_MS).toISOString(),
          validTo: new Date(Date.now() + 7 * DAY_MS).toISOString(),
          ...offer,
        },
      });
      if (res.status !== 201) {
        console.error(`could not create the ${what}`, res.body);
        return undefined;
      }
      return res.body.offerId as string;
    },

    /**
     * Registers a phone with the app key, consenting to location and marketing: the answer of
     * POST /v1/devices (201 with the device and its token).
     */
    registerPhone(platform: "ios" | "android", timeZone: string): Promise<ApiAnswer> {
      return api("/v1/devices", {
        method: "POST",
        headers: { "x-app-key": run.appKey },
        body: { platform, consent: { location: true, marketing: true }, timeZone },
      });
    },

    /** Runs `phone(0)` … `phone(count - 1)`, `concurrency` at a time. */
    async runPhones(
      count: number,
      concurrency: number,
      phone: (i: number) => Promise<void>,
    ): Promise<void> {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) await phone(next++);
        }),
      );
    },

    /**
     * Reads the report at `path` as the analyst, then deletes the offer unless the run keeps it
     * (its report stays). Resolves to the report's body, or undefined (after printing why) when
     * it was refused.
     */
    // biome-ignore lint/suspicious/noExplicitAny: the scripts read whatever the report answers.
    async readReportThenDeleteOffer(offerId: string, path: string, what: string): Promise<any> {
      const report = await api(path, { token: run.analyst });
      if (report.status !== 200) {
        console.error(`could not read the ${what}`, report.body);
        return undefined;
      }
      if (!run.keep) await api(`/v1/offers/${offerId}`, { method: "DELETE", token: run.admin });
      return report.body;
    },
  };
}
