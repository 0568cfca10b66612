import { functionNames, measureBundles } from "../bundles.ts";
const r = await measureBundles("/work/main", functionNames("/work/main"));
console.log(r.wallMs, r.kb["ping-ingest"], r.kb["health"]);
