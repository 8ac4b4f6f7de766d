import { CredentialsForm } from "../../_components/auth/credentials-form";
import { findInvite } from "@/lib/auth/invites";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInvite(getDb(), token);
  if (!invite) {
    return <div className="panel"><h1>Invitation</h1><div className="alert error">This invitation link is invalid, used or expired. Ask your admin for a new one.</div></div>;
  }
  return (
    <div className="panel" style={{ maxWidth: 460 }}>
      <h1>Join RecLab</h1>
      <p className="muted">You were invited as <strong>{invite.role}</strong> ({invite.email}). Choose a password to finish.</p>
      <CredentialsForm endpoint="/api/auth/invites/accept" submitLabel="Create my account" extra={{ token }} askEmail={false} askName />
    </div>
  );
}
