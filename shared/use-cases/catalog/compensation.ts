import { logger } from "../../logger.ts";

/** A compensating step: logged, never masking the error that made it necessary. */
export async function bestEffort(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    logger.error(`compensation failed: ${what}`, { error: error as Error });
  }
}
