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
    // The layout crawl's runs side by side: three keep Chromium and the server busy on two cores without starving either.
    maxConcurrency: 3,
  },
});
