import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { type FootfallFunction, METRICS_NAMESPACE, SERVICE_NAME } from "./footfall-function.ts";
import { pascalCase } from "./names.ts";

/** The ping stage of the funnel: pings in, and the geofence events they cause. */
const PING_FUNNEL_METRICS = [
  "PingsAccepted",
  "PingsRejected",
  "PingsFlagged",
  "ZoneEvents",
] as const;

/** The outcome stage of the funnel: incentives decided, visits and redemptions. */
const OUTCOME_FUNNEL_METRICS = [
  "IncentivesSent",
  "IncentivesHeldOut",
  "IncentivesSuppressed",
  "Visits",
  "AttributedVisits",
  "Redemptions",
] as const;

/** The conversion funnel, in order; emitted as EMF metrics under `Footfall` / `service`. */
export const FUNNEL_METRICS = [...PING_FUNNEL_METRICS, ...OUTCOME_FUNNEL_METRICS] as const;

/** Throttled device registrations in 5 minutes that page someone (a farming run, not a retry). */
export const REGISTRATION_THROTTLE_ALARM = 50;

/** Share of API requests answered 5xx (percent over 5 minutes) that raises the alarm. */
export const API_5XX_RATE_THRESHOLD_PCT = 1;

export interface MonitoringProps {
  stage: string;
  functions: FootfallFunction[];
  deadLetterQueues: Record<string, IQueue>;
  api: HttpApi;
  incentiveTopic: ITopic;
  /** SNS platform application ARNs given as context (push delivery failures are alarmed). */
  platformApplicationArns: string[];
  alarmEmail: string | undefined;
}

const FIVE_MINUTES = Duration.minutes(5);

/** `Footfall` namespace metric with the `service` dimension the EMF emitters use. */
export function funnelMetric(name: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: Stats.SUM,
    period: FIVE_MINUTES,
  });
}

/**
 * Alarms for what needs a human (function errors and throttles, anything in a DLQ, API 5xx rate,
 * failed SNS deliveries), all sent to one encrypted alarm topic, and a dashboard of the funnel.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const key = new Key(this, "AlarmTopicKey", {
      description: `Footfall ${props.stage}: encrypts alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm state changes to the encrypted topic.
    key.grant(
      new ServicePrincipal("cloudwatch.amazonaws.com"),
      "kms:Decrypt",
      "kms:GenerateDataKey",
    );
    this.alarmTopic = new Topic(this, "AlarmTopic", {
      displayName: `Footfall ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    for (const f of props.functions) {
      const id = pascalCase(f.name);
      this.alarm(`${id}Errors`, f.fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }), {
        description: `${f.name} threw errors (see its log group)`,
        threshold: f.spec.errorAlarmThreshold ?? 1,
      });
      this.alarm(
        `${id}Throttles`,
        f.fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        { description: `${f.name} was throttled (concurrency limit reached)` },
      );
    }
    for (const [fn, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(
        `${pascalCase(fn)}DlqDepth`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: Stats.MAXIMUM,
        }),
        { description: `Failed ${fn} events are waiting in its dead-letter queue` },
      );
    }
    const api5xxRate = new MathExpression({
      expression: "IF(requests > 0, 100 * errors / requests, 0)",
      usingMetrics: {
        errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      },
      period: FIVE_MINUTES,
      label: "API 5xx rate (%)",
    });
    this.alarm("Api5xxRate", api5xxRate, {
      description: `More than ${API_5XX_RATE_THRESHOLD_PCT}% of API requests answered 5xx`,
      threshold: API_5XX_RATE_THRESHOLD_PCT,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });
    this.alarm(
      "IncentiveTopicFailedDeliveries",
      props.incentiveTopic.metricNumberOfNotificationsFailed({
        period: FIVE_MINUTES,
        statistic: Stats.SUM,
      }),
      { description: "SNS failed to deliver incentive messages to a subscriber" },
    );
    // Abuse resistance: a store whose tills together hit the redemption guess ceiling is being
    // probed for codes (the till limit alone stops one till; this catches many identities).
    this.alarm("RedemptionStoreCeiling", funnelMetric("RedemptionStoreLockouts"), {
      description:
        "A store reached its redemption guess ceiling: tills there get 429 until the window ends",
    });
    this.alarm("RegistrationsThrottled", funnelMetric("RegistrationsThrottled"), {
      description: `Device registrations refused by the per-address/per-app limit (≥ ${REGISTRATION_THROTTLE_ALARM} in 5 min)`,
      threshold: REGISTRATION_THROTTLE_ALARM,
    });
    for (const arn of props.platformApplicationArns) {
      const [platform, application] = arn.split(":app/")[1]?.split("/") ?? [];
      if (!platform || !application) continue;
      this.alarm(
        `${pascalCase(platform)}PushFailedDeliveries`,
        new Metric({
          namespace: "AWS/SNS",
          metricName: "NumberOfNotificationsFailed",
          dimensionsMap: { Application: application, Platform: platform },
          statistic: Stats.SUM,
          period: FIVE_MINUTES,
        }),
        { description: `SNS failed to deliver mobile push through ${platform}/${application}` },
      );
    }

    this.dashboard = this.buildDashboard(props);
  }

  private alarm(
    id: string,
    metric: Metric | MathExpression,
    options: {
      description: string;
      threshold?: number;
      comparisonOperator?: ComparisonOperator;
      evaluationPeriods?: number;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric,
      threshold: options.threshold ?? 1,
      comparisonOperator:
        options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard(props: MonitoringProps): Dashboard {
    const dashboard = new Dashboard(this, "Dashboard", {
      dashboardName: `footfall-${props.stage}`,
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# Footfall ${props.stage}\nFunnel totals over the selected time range (namespace \`${METRICS_NAMESPACE}\`, service \`${SERVICE_NAME}\`).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: "Funnel",
        metrics: FUNNEL_METRICS.map((m) => funnelMetric(m)),
        setPeriodToTimeRange: true,
        width: 24,
        height: 4,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "Pings and zone events",
        left: PING_FUNNEL_METRICS.map((m) => funnelMetric(m)),
        width: 12,
      }),
      new GraphWidget({
        title: "Incentives, visits, redemptions",
        left: OUTCOME_FUNNEL_METRICS.map((m) => funnelMetric(m)),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "API requests and errors",
        left: [
          props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM }),
          props.api.metricClientError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
          props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        ],
        right: [props.api.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99) })],
        width: 12,
      }),
      new GraphWidget({
        title: "Function errors",
        left: props.functions.map((f) =>
          f.fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM, label: f.name }),
        ),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: "Function duration p99 (ms)",
        left: props.functions.map((f) =>
          f.fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99), label: f.name }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: "Dead-letter queues and SNS failures",
        left: [
          ...Object.entries(props.deadLetterQueues).map(([fn, q]) =>
            q.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              statistic: Stats.MAXIMUM,
              label: `${fn} DLQ`,
            }),
          ),
          props.incentiveTopic.metricNumberOfNotificationsFailed({
            period: FIVE_MINUTES,
            statistic: Stats.SUM,
            label: "incentive topic failed deliveries",
          }),
        ],
        width: 12,
      }),
    );
    return dashboard;
  }
}
