import { App, type AppProps, Tags } from "aws-cdk-lib";
import { type InfraContext, readInfraContext } from "./context.ts";
import { asyncFunctionNames, FUNCTION_SPECS, type FunctionSpec } from "./function-specs.ts";
import { addNagChecks } from "./nag.ts";
import { ROUTES, type RouteDefinition } from "./routes.ts";
import { StatefulStack } from "./stateful-stack.ts";
import { StatelessStack } from "./stateless-stack.ts";

export interface FootfallAppOptions {
  /** App props (context, outdir); the CDK CLI passes its own through the environment. */
  appProps?: AppProps;
  /** Run the cdk-nag AWS Solutions checks on synth (default true). */
  nag?: boolean;
  specs?: Record<string, FunctionSpec>;
  routes?: RouteDefinition[];
}

export interface FootfallApp {
  app: App;
  context: InfraContext;
  data: StatefulStack;
  service: StatelessStack;
}

/**
 * Builds the whole deployment: a data stack (tables, topic, queues, keys, user pool, place index,
 * secrets) and a service stack (functions, API, alarms) wired through props. One function so the
 * CLI entry point and the tests synthesize exactly the same app.
 */
export function buildFootfallApp(options: FootfallAppOptions = {}): FootfallApp {
  const app = new App(options.appProps);
  const context = readInfraContext(app);
  const specs = options.specs ?? FUNCTION_SPECS;
  const routes = options.routes ?? ROUTES;
  const env = {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const data = new StatefulStack(app, `Footfall-${context.stage}-Data`, {
    description: `Footfall ${context.stage}: tables, topic, queues, keys, user pool, place index, secrets`,
    env,
    context,
    asyncFunctions: asyncFunctionNames(specs),
  });
  const service = new StatelessStack(app, `Footfall-${context.stage}-Service`, {
    description: `Footfall ${context.stage}: functions, HTTP API, alarms, dashboard`,
    env,
    context,
    data,
    specs,
    routes,
  });
  service.addStackDependency(data);

  Tags.of(app).add("project", "footfall");
  Tags.of(app).add("stage", context.stage);
  if (options.nag ?? true) addNagChecks(app);
  return { app, context, data, service };
}
