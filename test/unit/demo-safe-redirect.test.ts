import { describe, expect, it } from "vitest";
import { safeCallback } from "../../examples/next-app/lib/safe-redirect.js";

describe("the demo's return path after sign-in", () => {
  it("keeps a path on the site, with its query and fragment", () => {
    expect(safeCallback("/sessions?x=1#top")).toBe("/sessions?x=1#top");
  });

  it("refuses every way a browser would read as another site", () => {
    for (const hostile of [
      "//evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "",
    ]) {
      expect(safeCallback(hostile), JSON.stringify(hostile)).toBe("/account");
    }
  });

  it("goes home for anything that is not a string", () => {
    expect(safeCallback(undefined)).toBe("/account");
    expect(safeCallback(["/x"])).toBe("/account");
  });
});
