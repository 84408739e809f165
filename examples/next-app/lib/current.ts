import { getServerSession, type Session } from "next-auth";
import { cache as perRequest } from "react";
import { authOptions } from "./auth";

/**
 * The session of this request. The layout and the page both ask; React's per-request cache makes
 * that one run of the jwt callback (one cache round trip) instead of two.
 */
export const currentSession = perRequest(async (): Promise<Session | null> => {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session : null;
});
