import { computeCovers } from "../matcher/cover-store.ts";

const r = await computeCovers({
  seed: 42,
  sizes: [1000, 10000],
  budgetMs: 120000,
  dir: "/tmp/bx/covers",
  log: console.log,
});
console.log(r);
