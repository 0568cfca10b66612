import { runMatcherSize } from "../matcher/child.ts";

const r = runMatcherSize({
  size: Number(process.argv[2]),
  seed: 42,
  pings: 20000,
  coversDir: "/tmp/bx/covers",
  bruteForce: true,
  naiveMap: true,
  referencePings: 2000,
  turfPings: 500,
  passes: 3,
  outFile: "/tmp/bx/out.json",
});
console.log(JSON.stringify(r, null, 1));
