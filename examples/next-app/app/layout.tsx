import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Header } from "./components/header";
import "./globals.css";

// Every page shows who is signed in, so none is rendered at build time (which would also open
// the database and create the secret while building).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "authcache demo",
  description: "Revocable NextAuth sessions and cached profiles with authcache.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Header />
        <main>{children}</main>
      </body>
    </html>
  );
}
