import fs from "node:fs";
import { createRequire } from "node:module";
import Module from "node:module";
import path from "node:path";

/**
 * Route matching done once per route tree, not on every request.
 *
 * Remix 2 (`@remix-run/router` 1.x) matches a URL against the app's ~230 routes four times per page
 * (the server's handler, its data pass, the lazy route manifest and the render), and each time
 * flattens and ranks the whole tree and compiles every path pattern into a new RegExp: about half
 * of the CPU of the sign-in page on this server. React Router 7 keeps the ranked branches
 * (remix-run/react-router#14967); Remix 2 cannot move to it, so the server loads its router with
 * two memos: the ranked branches per routes array (the server's arrays are built once) and each
 * pattern's RegExp by its text (bounded; a RegExp without the g flag keeps no state). And a URL is
 * tried only against the branches its first segment can match: a branch whose path begins with a
 * plain static segment matches only a pathname whose first segment is that one, ignoring ASCII case
 * (every pattern is a case-insensitive RegExp anchored at "^/"), so the others are skipped in their
 * ranked order — /login was tried against some 200 branches before its own, four times a page.
 * Which branch matches is unchanged. The browser bundle is not touched.
 *
 * A source edit of a pinned dependency: each anchor must be found, or the server refuses to start
 * (an upgrade that moved them is noticed at once, by `route-matching.test.ts` first).
 */
const EDITS: Array<[anchor: string, replacement: string]> = [
  ["  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n", "  let branches = rankedBranches(routes);\n"],
  [
    "  let decoded = decodePath(pathname);\n  for (let i = 0; matches == null && i < branches.length; ++i) {\n",
    "  let decoded = decodePath(pathname);\n  branches = candidateBranches(branches, decoded);\n  for (let i = 0; matches == null && i < branches.length; ++i) {\n",
  ],
  [
    "function compilePath(path, caseSensitive, end) {\n",
    `const rankedBranchesOf = new WeakMap();
function rankedBranches(routes) {
  let branches = rankedBranchesOf.get(routes);
  if (!branches) {
    branches = flattenRoutes(routes);
    rankRouteBranches(branches);
    rankedBranchesOf.set(routes, branches);
  }
  return branches;
}
const candidatesOf = new WeakMap();
function candidateBranches(branches, pathname) {
  if (!pathname.startsWith("/")) return branches;
  let known = candidatesOf.get(branches);
  if (!known) {
    const keys = branches.map((branch) => {
      const first = branch.path.split("/")[1];
      const plain = branch.path.startsWith("/") && /^[A-Za-z0-9._~-]+$/.test(first) && !branch.routesMeta.some((meta) => meta.caseSensitive);
      return plain ? first.toLowerCase() : null;
    });
    const lists = new Map();
    for (const key of new Set(keys)) if (key !== null) lists.set(key, branches.filter((_, i) => keys[i] === null || keys[i] === key));
    known = { lists, others: branches.filter((_, i) => keys[i] === null) };
    candidatesOf.set(branches, known);
  }
  return known.lists.get(pathname.split("/", 2)[1].toLowerCase()) ?? known.others;
}
const compiledPaths = new Map();
function compilePath(path, caseSensitive, end) {
  const key = path + "\\u0000" + (caseSensitive === true) + "\\u0000" + (end !== false);
  let compiled = compiledPaths.get(key);
  if (!compiled) {
    compiled = compilePathAnew(path, caseSensitive, end);
    if (compiledPaths.size < 5000) compiledPaths.set(key, compiled);
  }
  return compiled;
}
function compilePathAnew(path, caseSensitive, end) {
`,
  ],
  [
    "exports.UNSAFE_convertRoutesToDataRoutes = convertRoutesToDataRoutes;\n",
    `const dataRoutesOf = new WeakMap();
exports.UNSAFE_convertRoutesToDataRoutes = function (routes, mapRouteProperties, parentPath, manifest) {
  if (parentPath !== undefined || !manifest) return convertRoutesToDataRoutes(routes, mapRouteProperties, parentPath, manifest);
  let known = dataRoutesOf.get(routes);
  if (!known || known.mapRouteProperties !== mapRouteProperties) {
    const built = {};
    known = { mapRouteProperties, manifest: built, dataRoutes: convertRoutesToDataRoutes(routes, mapRouteProperties, undefined, built) };
    dataRoutesOf.set(routes, known);
  }
  Object.assign(manifest, known.manifest);
  return known.dataRoutes;
};
`,
  ],
];

/** The router's source with the memos, or an error naming the anchor that was not found. */
export function withMatchingMemos(source: string): string {
  return EDITS.reduce((text, [anchor, replacement]) => {
    if (text.split(anchor).length !== 2) throw new Error(`@remix-run/router: "${anchor.trim().split("\n")[0]}" not found once; see app/cli/route-matching.ts`);
    return text.replace(anchor, () => replacement);
  }, source);
}

type ServerRoutes = (manifest: object, routeModules: object, ...rest: unknown[]) => unknown;

/**
 * Remix's page render builds its route objects for every page (`createServerRoutes`, then the static router's data
 * routes), so the matching memos above would miss on them: both are built once per build's manifest instead. The
 * render reads `createServerRoutes` from its module's exports at each call, where the memo is put.
 */
export function onceFromManifest(build: ServerRoutes): ServerRoutes {
  // By the manifest alone: the route modules object is made anew for every request (createEntryRouteModules), from
  // the same modules of the one build this server runs (production: nothing is reloaded).
  const byManifest = new WeakMap<object, unknown>();
  return (manifest, routeModules, ...rest) => {
    // Only the render's own call (four arguments); the recursive ones inside build children as before.
    if (rest.length > 2) return build(manifest, routeModules, ...rest);
    if (!byManifest.has(manifest)) byManifest.set(manifest, build(manifest, routeModules, ...rest));
    return byManifest.get(manifest);
  };
}

/** Loads `@remix-run/router` with the memos into the module cache, before anything requires it. */
export function installRouteMatchingMemos(): void {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@remix-run/router");
  if (require.cache[file]) throw new Error("@remix-run/router was loaded before its matching memos");
  const loaded = new Module(file) as Module & { _compile(source: string, filename: string): void; paths: string[] };
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  loaded._compile(withMatchingMemos(fs.readFileSync(file, "utf8")), file);
  loaded.loaded = true;
  require.cache[file] = loaded;
  const remixRoutes = require(path.join(path.dirname(require.resolve("@remix-run/react")), "routes.js")) as { createServerRoutes: ServerRoutes };
  remixRoutes.createServerRoutes = onceFromManifest(remixRoutes.createServerRoutes);
}
