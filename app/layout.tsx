import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "RecLab",
  description: "Run recommender-system experiments end to end",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className="shell">
            <nav className="sidebar" aria-label="Main">
              <div className="brand">
                Rec<span>Lab</span>
              </div>
              <Link href="/">Overview</Link>
              <Link href="/datasets">Datasets</Link>
              <Link href="/runs">Runs</Link>
              <Link href="/runs/new">New run</Link>
              <Link href="/models">Models</Link>
              <div className="footer">Recommender experiments, end to end.</div>
            </nav>
            <main>{children}</main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
