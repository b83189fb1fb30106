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
    // On PGlite a file per core: vitest's default leaves one core free (one worker on CI's two), and each file
    // spends its time on its own CPU (PGlite is single-threaded, each file's in its own process). On PostgreSQL one
    // file at a time: the files' databases share one server, whose snapshot every file's writes move, and the
    // figures remembered until the snapshot moves (home, to-dos) are what test/routes/statements.test.ts counts warm.
    maxWorkers: process.env.DATABASE_URL ? 1 : os.availableParallelism(),
  },
});
