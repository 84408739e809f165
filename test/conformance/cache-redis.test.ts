import { runCacheConformance } from "./cache-suite.js";
import { storesUnderTest } from "./stores.js";

// Memory has its own file, so the Redis-backed runs can be read and rerun apart.
for (const backend of storesUnderTest().filter((s) => s.name !== "memory")) {
  runCacheConformance(backend.name, () => backend.make());
}
