const a = await import("../rng.ts?instance=1");
const b = await import("../rng.ts?instance=2");
const c = await import("../rng.ts?instance=1");
console.log(a === b, a.mulberry32 === b.mulberry32, a === c);
