/**
 * `npm run size`: the JavaScript each page makes a phone download, in brotli bytes, from the production build.
 *
 * A page loads the client entry, then the module of every route in its match (root, layouts, the route) and
 * every chunk those import statically; those files are summed once each. Chunks a page pulls in later with
 * `import()` (the vote's proof-of-work widget, say) are added as "later", and the budget counts them too: a
 * phone on a weak network downloads them all the same. Bytes are deterministic, so CI fails over budget.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const KB = 1000;
const BUDGET = 120 * KB;
/**
 * Pages that draw charts may carry the charting library on top. The vote and the notice carry the proof-of-work
 * widget (33 kB later) and stood at the budget's edge; inside WeChat they also fetch the JS-SDK for their share card
 * (4 kB later, issue 36) — the pages most shared there, so they get 5 kB more rather than no card.
 */
const LARGER_BUDGETS: Record<string, number> = {
  "routes/dashboard": 220 * KB,
  "routes/vote.$campaignId._index": 125 * KB,
  "routes/notice.$campaignId": 125 * KB,
};

type Metafile = { outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }> };
type Manifest = {
  entry: { module: string };
  routes: Record<string, { id: string; parentId?: string; module: string; path?: string; index?: boolean }>;
};

const buildDir = path.join(root, "public", "build");
const manifestFile = readdirSync(buildDir).find((f) => /^manifest-.*\.js$/.test(f));
if (!manifestFile) throw new Error("没有构建产物：先运行 remix build");
const manifest = JSON.parse(
  readFileSync(path.join(buildDir, manifestFile), "utf8")
    .replace(/^window\.__remixManifest=/, "")
    .replace(/;\s*$/, ""),
) as Manifest;
const metafile = JSON.parse(readFileSync(path.join(root, "build", "metafile.js.json"), "utf8")) as Metafile;

/** "/build/x.js" in the manifest is "public/build/x.js" in the metafile. */
const key = (url: string) => `public${url}`;

const brotliBytes = new Map<string, number>();
function bytes(file: string) {
  let n = brotliBytes.get(file);
  if (n === undefined) {
    n = brotliCompressSync(readFileSync(path.join(root, file)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    brotliBytes.set(file, n);
  }
  return n;
}

/** The files reached from `start` through imports of the given kinds. */
function closure(start: string[], kinds: string[], into = new Set<string>()) {
  const stack = [...start];
  while (stack.length) {
    const file = stack.pop()!;
    if (into.has(file)) continue;
    into.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (kinds.includes(i.kind) && i.path.endsWith(".js")) stack.push(i.path);
  }
  return into;
}

function chain(id: string): string[] {
  const route = manifest.routes[id];
  return route.parentId ? [...chain(route.parentId), route.module] : [route.module];
}

const rows = Object.values(manifest.routes)
  // Pages only: a resource route (an export, a file) sends no JavaScript; its browser module holds no route file.
  .filter((r) => r.id !== "root" && Object.keys(metafile.outputs[key(r.module)]?.inputs ?? {}).some((i) => i.startsWith("app/routes/")))
  .map((r) => {
    const initial = closure([manifest.entry.module, ...chain(r.id)].map(key), ["import-statement"]);
    const all = new Set(initial);
    // Whatever the page's files import on demand, and what that imports in turn.
    for (const file of initial) {
      const lazy = (metafile.outputs[file]?.imports ?? []).filter((i) => i.kind === "dynamic-import").map((i) => i.path);
      closure(lazy, ["import-statement", "dynamic-import"], all);
    }
    const sum = (files: Set<string>) => [...files].reduce((n, f) => n + bytes(f), 0);
    const first = sum(initial);
    const total = sum(all);
    const budget = LARGER_BUDGETS[r.id] ?? BUDGET;
    return { route: r.id, first, later: total - first, total, budget };
  })
  .sort((a, b) => b.total - a.total);

const kb = (n: number) => (n / KB).toFixed(1);
const over = rows.filter((r) => r.total > r.budget);
const markdown = process.argv.includes("--markdown");
if (markdown) {
  console.log("| 页面（路由） | 首次加载 kB | 稍后加载 kB | 合计 kB | 预算 kB |\n|---|--:|--:|--:|--:|");
  for (const r of rows) console.log(`| \`${r.route}\` | ${kb(r.first)} | ${kb(r.later)} | ${kb(r.total)} | ${kb(r.budget)} |`);
} else {
  console.log(`${"route".padEnd(44)} ${"first".padStart(7)} ${"later".padStart(7)} ${"total".padStart(7)} ${"budget".padStart(7)}  (kB, brotli)`);
  for (const r of rows) {
    const flag = r.total > r.budget ? "  OVER" : "";
    console.log(`${r.route.padEnd(44)} ${kb(r.first).padStart(7)} ${kb(r.later).padStart(7)} ${kb(r.total).padStart(7)} ${kb(r.budget).padStart(7)}${flag}`);
  }
}
if (over.length) {
  console.error(`\n${over.length} 个页面超出 JavaScript 预算：${over.map((r) => r.route).join("、")}`);
  process.exit(1);
}
