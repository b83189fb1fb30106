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
    // Each file gets a database of its own; PGlite start-up dominates, not CPU.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
