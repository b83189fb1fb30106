import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house rules, checked on the code itself: imports run downhill (routes → components →
 * modules → auth → lib → db), no two domain modules import each other, and routes keep no
 * queries of their own. A change that breaks one fails here with the file and import named.
 */
const root = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** Higher floors may import lower ones, never the other way. */
function floorOf(file: string): number {
  if (file.startsWith("db/")) return 1;
  if (file === "app/db.server.ts" || file.startsWith("app/lib/")) return 2;
  if (file.startsWith("app/auth/")) return 3;
  if (file.startsWith("app/modules/")) return 4;
  if (file.startsWith("app/components/")) return 5;
  if (file.startsWith("seeds/")) return 5;
  return 6; // routes, root, entries, command-line programs
}

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("~/")) base = path.join("app", spec.slice(2));
  else if (spec === "~db" || spec.startsWith("~db/")) base = path.join("db", spec.slice(4) || "index");
  else if (spec.startsWith(".")) base = path.join(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (fs.existsSync(path.join(root, candidate)) && fs.statSync(path.join(root, candidate)).isFile()) return path.normalize(candidate);
  }
  return null;
}

const files = [...sourceFiles("app"), ...sourceFiles("db"), ...sourceFiles("seeds")];
const imports = files.flatMap((file) => {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].flatMap((m) => {
    const target = resolveImport(file, m[1]);
    return target ? [{ file, target }] : [];
  });
});

const moduleOf = (file: string) => /^app\/modules\/([^/]+)\//.exec(file)?.[1] ?? null;

describe("the house", () => {
  it("has every import running downhill", () => {
    const uphill = imports.filter(({ file, target }) => floorOf(target) > floorOf(file)).map(({ file, target }) => `${file} → ${target}`);
    expect(uphill).toEqual([]);
    expect(imports.length).toBeGreaterThan(300);
  });

  it("has no two domain modules importing each other, directly or round about", () => {
    const edges = new Map<string, Set<string>>();
    for (const { file, target } of imports) {
      const [a, b] = [moduleOf(file), moduleOf(target)];
      if (a && b && a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const circles: string[] = [];
    const visit = (start: string, at: string, trail: string[]) => {
      for (const next of edges.get(at) ?? []) {
        if (next === start) circles.push([...trail, next].join(" → "));
        else if (!trail.includes(next)) visit(start, next, [...trail, next]);
      }
    };
    for (const m of edges.keys()) visit(m, m, [m]);
    expect(circles).toEqual([]);
  });

  it("keeps queries out of the routes", () => {
    const withQueries = sourceFiles("app/routes").filter((file) =>
      /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(withQueries).toEqual([]);
  });

  it("has each mentoring page and intent ask a permission of its own (issue 33), not one borrowed from studios or milestones", () => {
    // A borrowed permission opens the page to whoever is later given the other page's; the matrix would not notice.
    const asked = sourceFiles("app/routes")
      .filter((file) => file.startsWith("app/routes/mentoring."))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(root, file), "utf8").matchAll(/(?:requirePermission\(request|can\(user), "([^"]+)"/g)].map((m) => `${file}: ${m[1]}`),
      );
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((a) => !/: mentoring\./.test(a))).toEqual([]);
  });

  it("calls no server helper at the top of a route module, where the browser's bundle would run it", () => {
    // `export const action = createAction(…)` stays in the browser's copy of the route (a call may have effects, so
    // it is not shaken out) and throws there, since a .server module is empty in the browser: the page never hydrates.
    const called = sourceFiles("app/routes").filter((file) =>
      /^export const (loader|action) = (?!\(|async\b)/m.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(called).toEqual([]);
  });

  it("reads every upload within the bound on large bodies in flight (issue 27, item 6)", () => {
    // A multipart body parsed outside readBounded is read whole, however many arrive at once.
    const unbounded = sourceFiles("app").flatMap((file) => {
      const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
      // The parse is the read function handed to readBounded, on its line or the few before it.
      const bounded = (i: number) => /readBounded\(\s*request,\s*\(\) =>\s*parseMultipartInTurns\(/.test(lines.slice(Math.max(0, i - 3), i + 1).join(" "));
      return lines.flatMap((line, i) => {
        // Remix's parser is called in one place: the helper that hands it the body in turns (lib/upload.server).
        if (/unstable_parseMultipartFormData\(/.test(line))
          return file === path.join("app", "lib", "upload.server.ts") && /\(withBodyInTurns\(request\), handler\)/.test(line)
            ? []
            : [`${file}: ${line.trim()}`];
        return /parseMultipartInTurns\(/.test(line) && !/function parseMultipartInTurns\(/.test(line) && !bounded(i) ? [`${file}: ${line.trim()}`] : [];
      });
    });
    expect(unbounded).toEqual([]);
  });
});
