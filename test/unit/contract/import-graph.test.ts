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

/** Every import target of a file: repository-relative for relative ones, else the package. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms)) {
    const spec = m[1] as string;
    out.push(spec.startsWith(".") ? relative(ROOT, resolve(dirname(file), spec)) : spec);
  }
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) {
    const spec = m[1] as string;
    out.push(spec.startsWith(".") ? relative(ROOT, resolve(dirname(file), spec)) : spec);
  }
  return out;
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
    const text = 'import type { X } from "../adapters/dynamo/x.ts";\nexport { y } from "./y.ts";';
    expect(importsOf(join(ROOT, "shared/use-cases/a.ts"), text)).toEqual([
      "shared/adapters/dynamo/x.ts",
      "shared/use-cases/y.ts",
    ]);
  });
});
