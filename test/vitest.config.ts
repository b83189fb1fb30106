import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(__dirname, "..");

export default defineConfig({
  root,
  resolve: { alias: { "~db": path.join(root, "db"), "~": path.join(root, "app") } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "seeds/**/*.test.ts", "test/**/*.test.{ts,tsx}"],
    exclude: ["test/browser/**", "test/faults/**", "node_modules/**"],
    setupFiles: ["test/setup.ts"],
    environment: "node",
    // Each file gets a database of its own; PGlite start-up dominates, not CPU.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
