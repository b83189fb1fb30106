import { defineConfig } from "vitest/config";
import { shared } from "../vitest.shared";

export default defineConfig({
  ...shared,
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/server.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
