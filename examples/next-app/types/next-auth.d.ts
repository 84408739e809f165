import "next-auth";

// `session.user` is the profile authcache serves from its cache (see lib/users.ts).
declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      name: string;
      email: string;
      role: string;
      image?: string | null;
      updatedAt?: number;
    };
  }
}
