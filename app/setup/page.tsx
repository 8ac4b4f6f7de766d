import { redirect } from "next/navigation";
import { CredentialsForm } from "../_components/auth/credentials-form";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if ((await getDb().user.count()) > 0) redirect("/login");
  return (
    <div className="panel" style={{ maxWidth: 460 }}>
      <h1>Welcome to RecLab</h1>
      <p className="muted">Create the first admin account. Admins invite analysts and viewers from Admin → Users.</p>
      <CredentialsForm endpoint="/api/auth/setup" submitLabel="Create admin account" askName />
    </div>
  );
}
