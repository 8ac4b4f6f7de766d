import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";
import { UserMenu } from "./_components/auth/user-menu";
import { SiteNav } from "./_components/layout/site-nav";
import { Providers } from "./providers";
import { can, type Action } from "@/lib/auth/policy";
import { getPagePrincipal } from "@/lib/server/page-auth";
import { isSharedPageRequest } from "@/lib/server/security-headers";

export const metadata: Metadata = {
  title: "RecLab",
  description: "Run recommender-system experiments end to end",
};

// Every page is rendered per request: it depends on who is signed in, and the CSP nonce.
export const dynamic = "force-dynamic";

const NAV: { href: string; label: string; action: Action }[] = [
  { href: "/", label: "Overview", action: "run:read" },
  { href: "/ab-tests", label: "A/B tests", action: "abtest:read" },
  { href: "/datasets", label: "Datasets", action: "dataset:read" },
  { href: "/runs", label: "Runs", action: "run:read" },
  { href: "/runs/new", label: "New run", action: "run:create" },
  { href: "/experiments", label: "Experiments", action: "experiment:read" },
  { href: "/models", label: "Models", action: "model:read" },
  { href: "/glossary", label: "Glossary", action: "run:read" },
  { href: "/settings/tokens", label: "API tokens", action: "token:manage" },
  { href: "/settings/shares", label: "Share links", action: "report:share" },
  { href: "/admin/users", label: "Users", action: "user:manage" },
  { href: "/admin/audit", label: "Audit log", action: "audit:read" },
];

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A shared report (and its not-found page) shows the report alone: no navigation, no account.
  if (isSharedPageRequest(await headers())) {
    return (
      <html lang="en">
        <body>
          <main className="shared-page">{children}</main>
        </body>
      </html>
    );
  }
  const principal = await getPagePrincipal();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">Skip to content</a>
        <Providers>
          <div className="shell">
            <SiteNav
              links={principal ? NAV.filter((item) => can(principal.role, item.action)).map(({ href, label }) => ({ href, label })) : []}
              footer={
                <>
                  {principal ? <UserMenu email={principal.email} role={principal.role} canSignOut={principal.via === "session"} /> : null}
                  {principal?.via === "single-user" ? (
                    <p className="single-user" data-testid="single-user-banner">Single-user mode: no sign-in, you are admin. Bind to a network address or set RECLAB_SINGLE_USER=0 for accounts.</p>
                  ) : null}
                </>
              }
            />
            <main id="content" tabIndex={-1}>{children}</main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
