/**
 * Runs once when the server starts: the database is created and seeded, and the cache is built,
 * before the first visitor arrives (so the status page counts from the start, too).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;

  const [{ db }, { demo }] = await Promise.all([import("./lib/db"), import("./lib/cache")]);
  await db();
  demo();
}
