import { buildFootfallApp } from "./footfall-app.ts";

// `npx cdk synth|deploy --all` runs this file (cdk.json). Parameters: see infra/context.ts.
const { app } = buildFootfallApp();
app.synth();
