/**
 * The one way a function's handler is built: a middy chain that already carries the Powertools
 * observability every function needs, so no handler manages log keys or flushes metrics itself.
 *
 * - Logger: the Lambda context (request id, function name, cold start) is injected into every log
 *   line, and every key appended during an invocation (`logger.appendKeys`) is reset when it ends,
 *   successfully or not, so one request's keys never leak into the next on a warm container.
 * - Metrics: the EMF metrics added during the invocation are flushed once at its end, on success
 *   and on error (one log line per invocation). An invocation that added none prints nothing:
 *   Powertools' `logMetrics` would log a "No application metrics to publish" warning for each
 *   such invocation (most requests of most functions), which is noise, not a signal.
 * - Secrets: before the handler runs, the secrets the function loaded (shared/config/
 *   load-secrets.ts) are refreshed through Powertools Parameters' max-age cache, so a rotated
 *   key reaches warm instances without a cold start. A function that loads none does nothing.
 *
 * Use as `lambdaHandler<Event, Result>().use(...).handler(...)`.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import { refreshSecrets } from "./config/secret-refresh.ts";
import { logger } from "./logger.ts";
import { metrics } from "./metrics.ts";

/** Publishes the invocation's stored metrics, if it added any (after the handler or its error). */
const flushMetrics = (): MiddlewareObj => {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

/** A middy handler chain with log context injection (keys reset per invocation) and metrics flush. */
export function lambdaHandler<TEvent = unknown, TResult = unknown>() {
  return middy<TEvent, TResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics() as MiddlewareObj<TEvent, TResult>)
    .use({ before: refreshSecrets } as MiddlewareObj<TEvent, TResult>);
}
