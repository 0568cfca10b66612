import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering rules of shared/, checked on the import graph of the source (every `import` and
 * `export … from`, type-only ones included). Run alone with `npm run lint:imports`.
 *
 * - domain: pure — no HTTP (shared/http), no adapters, use cases, wiring, AWS SDK, middy,
 *   Powertools or Lambda types.
 * - use cases: ports are declared beside them (shared/use-cases/ports); they import no adapter,
 *   no wiring and no AWS SDK, and never type a dependency as `ReturnType<typeof dynamo…>`.
 * - adapters never import wiring or functions; nothing in shared/ imports functions/ or infra/.
 */
const ROOT = resolve(import.meta.dirname, "..", "..", "..");

interface Rule {
  /** Files the rule applies to (repository-relative prefix). */
  from: string;
  /** Forbidden targets: repository-relative prefixes, or package names (prefix match). */
  forbidden: string[];
  why: string;
}

const RULES: Rule[] = [
  {
    from: "shared/domain/",
    forbidden: [
      "shared/http/",
      "shared/adapters/",
      "shared/use-cases/",
      "shared/wiring/",
      "shared/config/",
      "@aws-sdk/",
      "@middy/",
      "@aws-lambda-powertools/",
      "aws-lambda",
    ],
    why: "the domain is pure: no HTTP, no I/O, no AWS",
  },
  {
    from: "shared/use-cases/",
    forbidden: ["shared/adapters/", "shared/wiring/", "@aws-sdk/", "aws-lambda"],
    why: "use cases depend on ports (shared/use-cases/ports), never on adapters",
  },
  {
    from: "shared/adapters/",
    forbidden: ["shared/wiring/"],
    why: "adapters take their clients as arguments; wiring composes them",
  },
  {
    from: "shared/",
    forbidden: ["functions/", "infra/", "scripts/"],
    why: "shared code does not know the functions, the stack or the scripts",
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/**
 * Every import target of a file: repository-relative for relative ones, else the package. Reads
 * `import … from`, `export … from`, side-effect imports (`import "x"`) and dynamic `import("x")`,
 * with either quote.
 */
function importsOf(file: string, text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s+(["'])([^"']+)\1/gms,
    /^\s*import\s*(["'])([^"']+)\1/gm,
    /\bimport\(\s*(["'])([^"']+)\1\s*\)/g,
  ];
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => {
      const spec = m[2] as string;
      return spec.startsWith(".") ? relative(ROOT, resolve(dirname(file), spec)) : spec;
    }),
  );
}

/** The edges breaking a rule, as `from → to (why)`. */
function violations(edges: readonly { from: string; to: string }[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    for (const rule of RULES) {
      if (!from.startsWith(rule.from)) continue;
      const hit = rule.forbidden.find((f) => to === f || to.startsWith(f));
      if (hit) out.push(`${from} → ${to} (${rule.why})`);
    }
  }
  return out;
}

const files = sourceFiles(join(ROOT, "shared"));
const edges = files.flatMap((file) => {
  const from = relative(ROOT, file);
  return importsOf(file, readFileSync(file, "utf8")).map((to) => ({ from, to }));
});

describe("import graph of shared/", () => {
  it("reads the imports of every source file", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(500);
  });

  it("breaks no layering rule", () => {
    expect(violations(edges)).toEqual([]);
  });

  it("has no use case typing a dependency by an adapter's factory", () => {
    const offenders = files
      .filter((f) => relative(ROOT, f).startsWith("shared/use-cases/"))
      .filter((f) => /ReturnType<typeof dynamo/.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it("catches a forbidden edge (the check can fail)", () => {
    const found = violations([
      { from: "shared/domain/ping.ts", to: "shared/http/parse.ts" },
      { from: "shared/use-cases/devices.ts", to: "shared/adapters/dynamo/device-store.ts" },
      { from: "shared/use-cases/devices.ts", to: "shared/use-cases/ports/device-store.ts" },
    ]);
    expect(found).toHaveLength(2);
    const text = [
      'import type { X } from "../adapters/dynamo/x.ts";',
      'export { y } from "./y.ts";',
      'import "../adapters/side-effect.ts";',
      "import { z } from '../http/z.ts';",
      'const lazy = await import("../wiring/lazy.ts");',
    ].join("\n");
    expect(importsOf(join(ROOT, "shared/use-cases/a.ts"), text).sort()).toEqual([
      "shared/adapters/dynamo/x.ts",
      "shared/adapters/side-effect.ts",
      "shared/http/z.ts",
      "shared/use-cases/y.ts",
      "shared/wiring/lazy.ts",
    ]);
  });
});
