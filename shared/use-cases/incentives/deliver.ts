import {
  INCENTIVE_MESSAGE_VERSION,
  type Incentive,
  type IncentiveMessage,
  incentiveMessageSchema,
} from "../../domain/incentive.ts";
import type { Clock } from "../../ports.ts";
import type { DecisionStore } from "../ports/decision-store.ts";
import type { DeviceStore } from "../ports/device-store.ts";
import type { IncentiveChannels } from "../ports/incentive-channels.ts";

export interface DeliveryDeps {
  store: Pick<DecisionStore, "getIncentive" | "markDelivery">;
  devices: Pick<DeviceStore, "get">;
  channels: IncentiveChannels;
  clock: Clock;
  deviceRef: (deviceId: string, merchantId: string) => string;
  sleep: (ms: number) => Promise<void>;
  /**
   * Publish attempts within one invocation before handing the retry to the event source: the
   * only retry of a transient SNS failure here (the publishing client makes one attempt each).
   */
  maxAttempts: number;
  baseDelayMs: number;
}

/** Errors a retry cannot fix: the incentive is marked failed and dead-lettered. */
const PERMANENT = new Set([
  "InvalidParameterException",
  "InvalidParameterValueException",
  "AuthorizationErrorException",
  "NotFoundException",
  "ValidationException",
  "KMSDisabledException",
  "KMSNotFoundException",
]);

/**
 * Whether a publish error is worth retrying. Throttling (whatever its HTTP status: SNS answers
 * `KMSThrottlingException` with a 400) and errors the SDK flags retryable are transient; other 4xx
 * answers mean the request itself is wrong, so retrying would only delay the dead letter.
 */
export function isPermanentError(error: unknown): boolean {
  const e = error as {
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name && PERMANENT.has(e.name)) return true;
  if (e.$retryable || /Throttl/i.test(e.name ?? "")) return false;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Builds the versioned topic message (see events/incentive-message.schema.json). */
export function incentiveMessage(inc: Incentive, deviceRef: string): IncentiveMessage {
  return {
    schemaVersion: INCENTIVE_MESSAGE_VERSION,
    eventType: "incentive.sent",
    incentiveId: inc.incentiveId,
    merchantId: inc.merchantId,
    offerId: inc.offerId,
    storeId: inc.storeId,
    deviceRef,
    trigger: inc.triggerType,
    ...(inc.touch
      ? {
          touch: {
            channel: inc.touch.channel,
            variant: inc.touch.variant,
            ...(inc.touch.linkId ? { linkId: inc.touch.linkId } : {}),
          },
        }
      : {}),
    grantedAt: new Date(inc.grantedAt).toISOString(),
    ...(inc.expiresAtMs ? { expiresAt: new Date(inc.expiresAtMs).toISOString() } : {}),
    redemption: { code: inc.code ?? "", kind: inc.codeKind ?? "unique" },
    message: {
      title: inc.title,
      body: inc.body,
      ...(inc.deepLink ? { deepLink: inc.deepLink } : {}),
    },
  };
}

/**
 * `withheld`: not published at all because, at sending time, the device was erased, no longer
 * consents to marketing, or the code had already expired.
 */
export type DeliveryResult = "sent" | "skipped" | "failed" | "withheld";

/**
 * Delivers one pending incentive from the outbox: unless the device is erased, no longer consents
 * to marketing or the code already expired (then it is marked `withheld`, nothing is published),
 * publish to the topic (retried with backoff on transient errors), push to the device if it has an
 * endpoint, then mark it sent. Only `pending` incentives are delivered, so a redelivered stream record does nothing;
 * consumers dedupe on `incentiveId` for the rare crash between publish and mark.
 */
export async function deliverIncentive(
  deps: DeliveryDeps,
  incentiveId: string,
): Promise<DeliveryResult> {
  const inc = await deps.store.getIncentive(incentiveId);
  if (inc?.status !== "pending" || inc.outcome !== "sent") return "skipped";
  const message = incentiveMessage(
    inc,
    inc.deviceId ? deps.deviceRef(inc.deviceId, inc.merchantId) : "erased",
  );
  const fail = async (reason: string, detail: string): Promise<DeliveryResult> => {
    // Dead-letter first: if marking fails the record is retried and parks it again, never lost.
    await deps.channels.deadLetter({
      incentiveId,
      merchantId: inc.merchantId,
      offerId: inc.offerId,
      reason,
      detail,
      at: deps.clock.now(),
    });
    await deps.store.markDelivery(incentiveId, "failed", deps.clock.now(), reason);
    return "failed";
  };
  // A message subscribers would reject (e.g. a static offer without its code) is never published.
  const checked = incentiveMessageSchema.safeParse(message);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return await fail(
      "InvalidMessage",
      `${issue?.path.join("/") ?? ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  // Read the device before publishing: a failed read then retries without a second publish.
  // Consent and erasure are checked here, at sending time, not only when the incentive was
  // decided: a withdrawal stops both the topic message and the push at once.
  const device = inc.deviceId ? await deps.devices.get(inc.deviceId) : undefined;
  const withheld =
    !device || device.erasingAt !== undefined
      ? "device_erased"
      : !device.consent.marketing
        ? "consent_withdrawn"
        : inc.expiresAtMs !== undefined && inc.expiresAtMs <= deps.clock.now()
          ? "code_expired"
          : undefined;
  if (withheld || !device) {
    await deps.store.markDelivery(
      incentiveId,
      "withheld",
      deps.clock.now(),
      withheld ?? "device_erased",
    );
    return "withheld";
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.channels.publishTopic(message);
      break;
    } catch (error) {
      if (isPermanentError(error))
        return await fail((error as Error).name, (error as Error).message);
      if (attempt >= deps.maxAttempts) throw error;
      await deps.sleep(deps.baseDelayMs * 2 ** (attempt - 1));
    }
  }
  if (device.pushEndpointArn) {
    try {
      await deps.channels.push(device.pushEndpointArn, message);
    } catch {
      // The topic publish is the delivery of record; a dead push endpoint must not fail it.
    }
  }
  await deps.store.markDelivery(incentiveId, "sent", deps.clock.now());
  return "sent";
}
