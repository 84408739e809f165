import { memoryStore } from "../../src/stores/memory.js";
import { runCacheConformance } from "./cache-suite.js";

runCacheConformance("memory", async () => {
  const store = memoryStore();
  return { store, dispose: () => store.close() };
});
