import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(__dirname, "../..");

// The fault suite: a PostgreSQL server of its own (test/faults/postgres.ts), restarted and cut off,
// and the production server, workers and backup programs as separate processes. One file at a time:
// they share the machine's two cores with the server under test.
export default defineConfig({
  root,
  resolve: { alias: { "~db": path.join(root, "db"), "~": path.join(root, "app") } },
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
