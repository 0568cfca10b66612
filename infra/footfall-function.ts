import { join, resolve } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Grant, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import {
  Architecture,
  FilterCriteria,
  LoggingFormat,
  Runtime,
  StartingPosition,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { type ICommandHooks, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { buildDashboard } from "../scripts/build-dashboard.ts";
import type { TableDefinition } from "../shared/tables.ts";
import {
  BUNDLE_ALIAS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  ESM_REQUIRE_BANNER,
} from "./bundle-settings.ts";
import {
  type FunctionSpec,
  type MobilePushAccess,
  type ScheduleTrigger,
  streamMapping,
  type TableAccess,
} from "./function-specs.ts";
import { type Acknowledgement, acknowledge } from "./nag.ts";

/** Repository root: entries live in functions/, the lock file at the root. */
export const REPO_ROOT = resolve(import.meta.dirname, "..");

/** Entry file of a function, by its name in functions/. */
export function functionEntry(name: string): string {
  return join(REPO_ROOT, "functions", `${name}.ts`);
}

/** Service name and metric namespace shared by logs and EMF metrics (see the dashboard). */
export const METRICS_NAMESPACE = "Footfall";
export const SERVICE_NAME = "footfall";

const DEFAULT_MEMORY_MB = 512;
const DEFAULT_TIMEOUT_S = 10;

// Item-level actions only; no streams, no PartiQL, no table management.
const TABLE_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

/**
 * Bundling hooks that build the dashboard (esbuild, locally, like the functions) and copy it
 * beside the function's bundle, where its handler reads it at cold start.
 */
function dashboardHooks(): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => {
      const built = buildDashboard(join(REPO_ROOT, ".build", "dashboard-lambda"));
      return [
        `mkdir -p "${outputDir}/dashboard"`,
        `cp "${built.outDir}"/* "${outputDir}/dashboard/"`,
      ];
    },
  };
}

export interface FootfallFunctionProps {
  /** File name (without .ts) under functions/. */
  name: string;
  spec: FunctionSpec;
  stage: string;
  logRetention: RetentionDays;
}

/**
 * A Lambda function with Footfall's defaults (Node.js 24 on ARM64, minified ESM bundle with the
 * AWS SDK inside and source maps, JSON logs with retention, active tracing) and an execution role
 * that starts empty: only the `bind*` helpers add permissions, each with the narrowest scope.
 */
export class FootfallFunction extends Construct {
  readonly name: string;
  readonly spec: FunctionSpec;
  readonly entry: string;
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FootfallFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.spec = props.spec;
    this.entry = functionEntry(props.name);

    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of footfall-${props.stage}-${props.name}`,
    });
    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, "Function", {
      functionName: `footfall-${props.stage}-${props.name}`,
      description: props.spec.description,
      entry: this.entry,
      handler: props.spec.handler ?? "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.spec.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.spec.timeoutS ?? DEFAULT_TIMEOUT_S),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      ...(props.spec.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.spec.reservedConcurrency }),
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        FOOTFALL_STAGE: props.stage,
        LOG_LEVEL: "INFO",
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.spec.extraEnv,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: BUNDLE_MAIN_FIELDS,
        banner: ESM_REQUIRE_BANNER,
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The SDK is bundled: pinned by our lock file and tree-shaken, not the runtime's copy.
        bundleAwsSDK: true,
        externalModules: [],
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLE_ALIAS).map(([from, to]) => [`--alias:${from}`, to]),
        ),
        forceDockerBundling: false,
        ...(props.spec.dashboardAssets ? { commandHooks: dashboardHooks() } : {}),
      },
    });
    this.acknowledgeFinding({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no " +
        "resource-level permissions, so they can only be granted on *.",
    });
  }

  /** Sets `envVar` and nothing else: for config schemas that require a value the code never uses. */
  setEnv(envVar: string, value: string): void {
    this.fn.addEnvironment(envVar, value);
  }

  /**
   * Gives the function the table's name in `TABLES[id].envVar` and exactly the access its spec
   * names; reads cover the table's own indexes by name (no `index/*` wildcard).
   */
  bindTable(table: ITable, def: TableDefinition, access: TableAccess): void {
    this.setEnv(def.envVar, table.tableName);
    if (access === "name") return;
    if (access === "describe") {
      this.allow(["dynamodb:DescribeTable"], [table.tableArn]);
      return;
    }
    const indexArns = def.globalIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`);
    this.allow(TABLE_READ_ACTIONS, [table.tableArn, ...indexArns]);
    if (access === "readwrite") this.allow(TABLE_WRITE_ACTIONS, [table.tableArn]);
  }

  /** Publish to the incentive topic only (plus the KMS data key calls SNS encryption needs). */
  bindIncentivePublisher(topic: ITopic, key: IKey): void {
    this.setEnv("INCENTIVE_TOPIC_ARN", topic.topicArn);
    this.allow(["sns:Publish"], [topic.topicArn]);
    this.allow(["kms:GenerateDataKey", "kms:Decrypt"], [key.keyArn]);
  }

  /** Topic attributes only: the health probe proves SNS answers without being able to publish. */
  bindIncentiveTopicProbe(topic: ITopic): void {
    this.setEnv("INCENTIVE_TOPIC_ARN", topic.topicArn);
    this.allow(["sns:GetTopicAttributes"], [topic.topicArn]);
  }

  /** Read one secret at cold start: its ARN in `envVar`, `GetSecretValue` on it alone. */
  bindSecret(secret: ISecret, envVar: string): void {
    this.setEnv(envVar, secret.secretArn);
    secret.grantRead(this.role);
  }

  /** Forward geocoding on the one place index. */
  bindPlaceIndex(indexName: string, indexArn: string): void {
    this.setEnv("PLACE_INDEX_NAME", indexName);
    this.allow(["geo:SearchPlaceIndexForText"], [indexArn]);
  }

  /** Road routes for pickup arrival estimates on the one route calculator. */
  bindRouteCalculator(calculatorName: string, calculatorArn: string): void {
    this.setEnv("PICKUP_ROUTE_CALCULATOR", calculatorName);
    this.allow(["geo:CalculateRoute"], [calculatorArn]);
  }

  /**
   * Device push endpoints of the given SNS platform applications. `manage` creates an endpoint for
   * a push token, keeps it current and deletes it; `publish` sends to existing endpoints only.
   * Endpoints are created per device at run time, so their ARNs are known up to the application.
   */
  bindMobilePush(platforms: { envVar: string; arn: string }[], access: MobilePushAccess): void {
    for (const { envVar, arn } of platforms) {
      this.setEnv(envVar, arn);
      const endpoints = platformEndpointsArn(arn);
      if (access === "manage") {
        this.allow(["sns:CreatePlatformEndpoint"], [arn]);
        this.allow(
          ["sns:GetEndpointAttributes", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"],
          [endpoints],
        );
      } else {
        this.allow(["sns:Publish"], [endpoints]);
      }
      this.acknowledgeFinding({
        id: `AwsSolutions-IAM5[Resource::${endpoints}]`,
        reason:
          "Push endpoints are created per device at run time; the grant is limited to the " +
          "endpoints of this one platform application.",
      });
    }
  }

  /**
   * Consumes a table's stream: failing batches are split and retried, then recorded in the
   * function's dead-letter queue instead of blocking the shard.
   */
  bindTableStream(
    table: ITable,
    trigger: Extract<FunctionSpec["trigger"], { kind: "tableStream" }>,
    dlq: IQueue,
  ): void {
    // One definition (streamMapping) serves this mapping and the local stream poller.
    const mapping = streamMapping(trigger);
    this.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: mapping.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowS ?? 0),
        retryAttempts: mapping.retryAttempts,
        bisectBatchOnError: mapping.bisectBatchOnError,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        maxRecordAge: Duration.seconds(mapping.maxRecordAgeS),
        onFailure: new SqsDlq(dlq),
        ...(mapping.filterPatterns.length > 0
          ? { filters: mapping.filterPatterns.map((p) => FilterCriteria.filter(p)) }
          : {}),
      }),
    );
    if (trigger.dlqUrlEnv) {
      this.setEnv(trigger.dlqUrlEnv, dlq.queueUrl);
      this.allow(["sqs:SendMessage"], [dlq.queueArn]);
    }
    this.acknowledgeFinding({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Stream consumption: dynamodb:ListStreams supports no resource-level permissions; the " +
        "record-reading actions are granted on this table's stream ARN only.",
    });
  }

  /**
   * Invokes the function on a schedule (EventBridge rule, asynchronous invocation). A failed run is
   * not retried (the next one is at most `rateMinutes` away) and lands in the DLQ as a record.
   */
  bindSchedule(trigger: ScheduleTrigger, dlq: IQueue): void {
    this.fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(60),
      onFailure: new SqsDestination(dlq),
    });
    new Rule(this, "Schedule", {
      description: `Runs ${this.name} every ${trigger.rateMinutes} minute(s)`,
      schedule: Schedule.rate(Duration.minutes(trigger.rateMinutes)),
      targets: [new LambdaFunction(this.fn, { retryAttempts: 2 })],
    });
  }

  /** Records a reviewed cdk-nag finding on this function (role and policy included). */
  acknowledgeFinding(ack: Acknowledgement): void {
    acknowledge(this, ack);
  }

  private allow(actions: string[], resourceArns: string[]): void {
    Grant.addToPrincipal({ grantee: this.role, actions, resourceArns });
  }
}

/** `arn:…:app/APNS/MyApp` → `arn:…:endpoint/APNS/MyApp/*` (the application's device endpoints). */
export function platformEndpointsArn(platformApplicationArn: string): string {
  return `${platformApplicationArn.replace(/:app\//, ":endpoint/")}/*`;
}
