import { redirect } from "next/navigation";
import { CredentialsForm } from "../_components/auth/credentials-form";
import { getDb } from "@/lib/db/client";
import { getPagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await getPagePrincipal()) redirect("/");
  if ((await getDb().user.count()) === 0) redirect("/setup");
  return (
    <div className="panel" style={{ maxWidth: 460 }}>
      <h1>Sign in</h1>
      <p className="muted">Use the account an admin invited you with.</p>
      <CredentialsForm endpoint="/api/auth/login" submitLabel="Sign in" />
    </div>
  );
}
