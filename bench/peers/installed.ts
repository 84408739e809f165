/**
 * Whether a peer library can be loaded here. A peer that could not be installed (a conflicting
 * peer dependency, a missing native build) keeps its row, with the reason, instead of failing
 * the whole run.
 */
export function notInstalled(...packages: string[]): string | undefined {
  for (const name of packages) {
    try {
      import.meta.resolve(name);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      return `not installable: ${name} (${reason})`;
    }
  }
  return undefined;
}
