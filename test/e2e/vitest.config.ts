import { defineConfig } from "vitest/config";

// The demo's end-to-end run: its own config, so it builds and starts the app once, with no Redis
// servers from the unit suites' global setup, and never competes with them for the two cores.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
