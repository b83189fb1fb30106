import { defineConfig } from "vitest/config";
import { shared } from "../vitest.shared";

// The fault suite: a PostgreSQL server of its own (test/faults/postgres.ts), restarted and cut off,
// and the production server, workers and backup programs as separate processes. One file at a time:
// they share the machine's two cores with the server under test.
export default defineConfig({
  ...shared,
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
