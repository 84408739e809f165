/** The messages between the revocation benchmark and its second instance. */

export type FromParent = { type: "watch"; cookies: Record<string, string> } | { type: "stop" };

export type ToParent =
  | { type: "started" }
  | { type: "ready" }
  | { type: "seen" }
  | { type: "error"; message: string };
