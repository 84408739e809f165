import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The integration workspaces carry their own dependencies and test runs.
    exclude: ["**/node_modules/**", "test/integration/*/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // Forks isolate each file's sockets and timers; files share the servers by key prefix.
    pool: "forks",
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
