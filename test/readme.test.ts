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
});
