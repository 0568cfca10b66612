/** Port: IncentiveChannels (implemented by shared/adapters/sns/incentive-channels.ts). */
import type { IncentiveMessage } from "../../domain/incentive.ts";

/** Port: where a granted incentive goes out. */
export interface IncentiveChannels {
  /** Publishes to the incentive topic with filterable attributes; returns the message id. */
  publishTopic(message: IncentiveMessage): Promise<string | undefined>;
  /** Direct push to a device's platform endpoint (APNs/FCM payloads). */
  push(endpointArn: string, message: IncentiveMessage): Promise<void>;
  /** Parks a permanently failed incentive for operators. */
  deadLetter(payload: Record<string, unknown>): Promise<void>;
}
