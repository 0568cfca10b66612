import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import * as z from "zod";
import { dynamoClient, snsClient } from "../shared/adapters/aws-clients.ts";
import { systemClock } from "../shared/adapters/system.ts";
import { configVars, readConfig } from "../shared/config/read-config.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { checkHealth } from "../shared/use-cases/health.ts";

const config = readConfig(
  z.object({ CATALOG_TABLE: configVars.tableName, INCENTIVE_TOPIC_ARN: configVars.topicArn }),
);

/** GET /v1/health — 200 when DynamoDB and SNS answer, 503 otherwise. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async () => {
    const report = await checkHealth(
      {
        dynamodb: () =>
          dynamoClient.send(new DescribeTableCommand({ TableName: config.CATALOG_TABLE })),
        sns: () =>
          snsClient.send(new GetTopicAttributesCommand({ TopicArn: config.INCENTIVE_TOPIC_ARN })),
      },
      () => systemClock.now(),
    );
    return json(report.status === "ok" ? 200 : 503, report, { "cache-control": "no-store" });
  });
