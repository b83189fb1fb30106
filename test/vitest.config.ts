import os from "node:os";
import { defineConfig } from "vitest/config";
import { shared } from "./vitest.shared";

export default defineConfig({
  ...shared,
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "seeds/**/*.test.ts", "test/**/*.test.{ts,tsx}"],
    exclude: ["test/browser/**", "test/faults/**", "node_modules/**"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/template-db.ts"],
    environment: "node",
    // Each file gets a database of its own (test/db.ts).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // A file per core: vitest's default leaves one core free (one worker on CI's two), and each file spends its time
    // on its own CPU (PGlite is single-threaded, each file's in its own process) or on the PostgreSQL server's. The
    // files' databases on one server no longer disturb each other's remembered figures: those are keyed by a version
    // each database keeps of its own data (app/lib/data-version.server), not by the server's snapshot.
    maxWorkers: os.availableParallelism(),
  },
});
