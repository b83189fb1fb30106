import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README is what a newcomer reads first: short, opening with the two commands that set the platform up, and
 * leading to every domain's own README (where its rules and decisions live, beside its code). Links are checked
 * on every README, so a moved or renamed one fails here with the link named.
 */
const root = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

function moduleReadmes(): string[] {
  const modules = path.join(root, "app/modules");
  return fs
    .readdirSync(modules)
    .filter((name) => fs.existsSync(path.join(modules, name, "README.md")))
    .map((name) => `app/modules/${name}/README.md`);
}

/** Relative link targets of a markdown file, as paths from the repository's root. */
function linksOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].split("#")[0])
    .filter((target) => target && !/^[a-z]+:/i.test(target))
    .map((target) => path.normalize(path.join(path.dirname(file), target)));
}

describe("README.md", () => {
  it("is under 200 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThan(200);
  });

  it("opens with the two set-up commands", () => {
    const blocks = [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks.slice(0, 2)).toEqual(["npm ci && npm start", "npm ci && npm test"]);
  });

  it("links every module's README", () => {
    const linked = new Set(linksOf("README.md"));
    expect(moduleReadmes().filter((file) => !linked.has(file))).toEqual([]);
  });

  it("links only files that exist, as every README does", () => {
    const readmes = ["README.md", "app/lib/README.md", "app/auth/README.md", "db/README.md", "test/README.md", ...moduleReadmes()].filter((file) =>
      fs.existsSync(path.join(root, file)),
    );
    const broken = readmes.flatMap((file) =>
      linksOf(file)
        .filter((target) => !fs.existsSync(path.join(root, target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("lists in db/README.md's configuration every environment variable the platform reads", () => {
    // Read in db/env.ts (as `source.X`, `source[...]` or through its `need("X")`) and, for the few read before it
    // (the command-line programs), as `process.env.X`. NODE_ENV and HOME are the system's, not ours to set.
    const files = ["app", "db", "seeds"].flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
        .map((file) => path.join(root, dir, file)),
    );
    const read = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:\bsource\.|process\.env\.|\bsource\[["'`]|\bneed\(["'`])([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
    }
    for (const system of ["NODE_ENV", "HOME"]) read.delete(system);
    const dbReadme = fs.readFileSync(path.join(root, "db/README.md"), "utf8");
    const table = dbReadme.slice(dbReadme.indexOf("## Configuration"), dbReadme.indexOf("\n## ", dbReadme.indexOf("## Configuration") + 1));
    const listed = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !listed.has(name)).sort()).toEqual([]);
  });
});
