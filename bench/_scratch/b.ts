import { measureBundles } from "../bundles.ts";
const r = await measureBundles("/work/main");
console.log(r);
