import { nodeCrypto } from "../node-crypto.js";
import type { CryptoEngine } from "./engine.js";
import { createNodeEngine } from "./node-engine.js";
import { createWebEngine } from "./web-engine.js";

/** Which crypto to run on: "auto" picks Node's where the runtime has it, "web" forces Web Crypto. */
export type EngineChoice = "auto" | "web";

export function pickEngine(choice: EngineChoice = "auto"): CryptoEngine {
  const node = choice === "auto" ? nodeCrypto() : undefined;
  return node ? createNodeEngine(node) : createWebEngine();
}
