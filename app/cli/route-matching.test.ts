import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import Module from "node:module";
import path from "node:path";
import type * as RemixRouter from "@remix-run/router";
import { describe, expect, it, vi } from "vitest";
import { onceFromManifest, withMatchingMemos } from "./route-matching";

type Router = typeof RemixRouter;
const require = createRequire(import.meta.url);
const file = require.resolve("@remix-run/router");

/** The installed router compiled from `source`, apart from the module cache. */
function routerFrom(source: string): Router {
  const loaded = new Module(file) as Module & { _compile(source: string, filename: string): void; paths: string[] };
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  loaded._compile(source, file);
  return loaded.exports as Router;
}

/** A tree shaped like the app's: layouts without paths, index routes, params, an optional segment, a splat. */
function routeTree(onPathRead: () => void = () => {}): RemixRouter.AgnosticRouteObject[] {
  const route = (id: string, props: { path?: string; index?: boolean; children?: RemixRouter.AgnosticRouteObject[] }) => {
    const { path: p, ...rest } = props;
    return Object.defineProperty({ id, ...rest } as RemixRouter.AgnosticRouteObject, "path", {
      enumerable: true,
      get() {
        onPathRead();
        return p;
      },
    });
  };
  return [
    route("root", {
      path: "",
      children: [
        route("routes/_index", { index: true }),
        route("routes/login", { path: "login" }),
        route("routes/studios", {
          path: "studios",
          children: [route("routes/studios._index", { index: true }), route("routes/studios.$studioId", { path: ":studioId" })],
        }),
        route("routes/campaigns.$campaignId.import.$batchId", { path: "campaigns/:campaignId/import/:batchId" }),
        route("routes/reports", { path: "reports/:year?" }),
        route("routes/Files", { path: "Files/*" }),
        route("routes/$", { path: "*" }),
      ],
    }),
  ];
}

const PATHS = [
  "/",
  "/login",
  "/login/",
  "/LOGIN",
  "/studios",
  "/studios/12",
  "/studios/12/x",
  "/campaigns/3/import/9",
  "/reports",
  "/reports/2026",
  "/Files/a/b",
  "/nope",
  "/%E5%B7%A5",
  "//login",
  "/login-x",
  "/lo%67in",
  "/\u212Ailn",
];
const shape = (matches: ReturnType<Router["matchRoutes"]>) => matches?.map((m) => [m.route.id, m.params, m.pathname, m.pathnameBase]) ?? null;

describe("the router's matching memos (app/cli/route-matching.ts)", () => {
  it("apply to the installed @remix-run/router, and match every path exactly as it does", () => {
    const source = fs.readFileSync(file, "utf8");
    const original = routerFrom(source);
    const memoized = routerFrom(withMatchingMemos(source));
    const routes = routeTree();
    for (const p of PATHS) {
      // Twice: the second answer comes from the memos.
      expect(shape(memoized.matchRoutes(routes, p)), p).toEqual(shape(original.matchRoutes(routes, p)));
      expect(shape(memoized.matchRoutes(routes, p)), p).toEqual(shape(original.matchRoutes(routes, p)));
      expect(memoized.matchPath({ path: "/studios/:id", end: false }, p), p).toEqual(original.matchPath({ path: "/studios/:id", end: false }, p));
    }
  });

  it("match every route of the app's own tree, and paths near them, exactly as the router does", async () => {
    const { readConfig } = await import("@remix-run/dev/dist/config.js");
    const { routes: manifest } = await readConfig(path.resolve(import.meta.dirname, "../.."));
    // As Remix builds the server's tree from its manifest (@remix-run/server-runtime's createRoutes).
    const tree = (parentId?: string): RemixRouter.AgnosticRouteObject[] =>
      Object.values(manifest)
        .filter((r) => r.parentId === parentId)
        .map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: tree(r.id) }) as RemixRouter.AgnosticRouteObject);
    const routes = tree();
    const full = (id: string | undefined): string => (id ? `${full(manifest[id].parentId)}/${manifest[id].path ?? ""}` : "");
    const paths = Object.values(manifest).flatMap((r) => {
      const p =
        full(r.id)
          .replace(/\/+/g, "/")
          .replace(/:[\w-]+\?/g, "7")
          .replace(/:[\w-]+/g, "12")
          .replace(/\*$/, "a/b") || "/";
      return [p, `${p}/`, p.toUpperCase(), `${p}/x`, `/x${p}`, p.replace(/12/g, "%E5%B7%A5")];
    });
    expect(paths.length).toBeGreaterThan(600);
    const source = fs.readFileSync(file, "utf8");
    const original = routerFrom(source);
    const memoized = routerFrom(withMatchingMemos(source));
    for (const p of paths) expect(shape(memoized.matchRoutes(routes, p)), p).toEqual(shape(original.matchRoutes(routes, p)));
  });

  it("flatten and rank a tree once, however many requests match against it", () => {
    const memoized = routerFrom(withMatchingMemos(fs.readFileSync(file, "utf8")));
    let reads = 0;
    const routes = routeTree(() => reads++);
    memoized.matchRoutes(routes, "/studios/12");
    expect(reads).toBeGreaterThan(0);
    const once = reads;
    for (const p of PATHS) memoized.matchRoutes(routes, p);
    expect(reads).toBe(once);
  });

  it("try a URL only against the branches its first segment can match", () => {
    const memoized = routerFrom(withMatchingMemos(fs.readFileSync(file, "utf8")));
    // The app's shape: some two hundred routes, most under a static first segment of their own.
    const routes = routeTree();
    routes[0].children!.push(...Array.from({ length: 200 }, (_, i) => ({ id: `routes/r${i}.$id`, path: `r${i}/:id/edit` })));
    const tried = (p: string) => {
      const exec = vi.spyOn(RegExp.prototype, "exec");
      try {
        memoized.matchRoutes(routes, p);
        return exec.mock.calls.length;
      } finally {
        exec.mockRestore();
      }
    };
    tried("/login");
    // A few RegExp runs per branch tried (its pattern, the joins of the matched path): about 1,900 for a full scan.
    for (const p of ["/login", "/r150/3/edit", "/nope"]) expect(tried(p), p).toBeLessThan(60);
    expect(shape(memoized.matchRoutes(routes, "/R150/3/edit"))?.at(-1)).toEqual(["routes/r150.$id", { id: "3" }, "/R150/3/edit", "/R150/3/edit"]);
  });

  it("build the render's route objects once per build's manifest, whatever route modules object a request brings", () => {
    const built: object[] = [];
    const once = onceFromManifest((manifest, routeModules) => {
      built.push(routeModules);
      return [manifest];
    });
    const manifest = { root: {} };
    const first = once(manifest, {}, {}, false);
    expect(once(manifest, {}, {}, false)).toBe(first);
    expect(built).toHaveLength(1);
    // Another build's manifest, and the inner calls with a parent (six arguments and more), are built as asked.
    expect(once({ root: {} }, {}, {}, false)).not.toBe(first);
    once(manifest, {}, {}, false, "root", new Map());
    expect(built).toHaveLength(3);
  });

  it("refuse a router whose source has moved, rather than serve without them", () => {
    expect(() => withMatchingMemos("function compilePath(path, caseSensitive, end) {\n")).toThrow(/not found/);
  });

  it("are what the server loads: serve.ts's preload puts them in the module cache before Remix requires the router", () => {
    const script = [
      "let reads = 0;",
      "const route = (id, p, children) => Object.defineProperty({ id, children }, 'path', { enumerable: true, get() { reads++; return p; } });",
      "const routes = [route('root', '', [route('a', 'a'), route('b', 'b/:id')])];",
      "const { matchRoutes } = await import('@remix-run/router');",
      "matchRoutes(routes, '/b/1'); const once = reads; matchRoutes(routes, '/a');",
      "console.log(JSON.stringify({ once, after: reads }));",
    ].join("\n");
    const root = path.resolve(import.meta.dirname, "../..");
    const out = execFileSync(process.execPath, ["--import", "tsx", "--import", "./app/cli/preload.ts", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    const { once, after } = JSON.parse(out.trim().split("\n").pop()!);
    expect(once).toBeGreaterThan(0);
    expect(after).toBe(once);
  });
});
