import { runCacheConformance } from "./cache-suite.js";
import { storesUnderTest } from "./stores.js";

// The same behaviour with the in-process L1 tier on: it must change nothing a caller can see.
// Upstash has no pub/sub, so its tier lives on its TTL alone; it runs here too.
for (const backend of storesUnderTest()) {
  runCacheConformance(backend.name, () => backend.make(), {
    title: ", with the L1 tier",
    options: { l1: true },
  });
}
