"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { fetchJson } from "../ui/fetch-json";

/** Who is signed in, and sign-out: here, everywhere, or everywhere with API tokens revoked. */
export function UserMenu({ email, role, canSignOut }: { email: string; role: string; canSignOut: boolean }) {
  const router = useRouter();
  const [choosing, setChoosing] = useState(false);
  const choicesId = useId();
  const signOut = async (query: string) => {
    await fetchJson(`/api/auth/logout${query}`, { method: "POST" }).catch(() => undefined);
    router.push("/login");
    router.refresh();
  };
  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="who">{email}</div>
      <div className="role">{role}</div>
      {canSignOut ? (
        <div className="actions">
          <button type="button" className="link" onClick={() => signOut("")}>Sign out</button>
          <button type="button" className="link" aria-expanded={choosing} aria-controls={choicesId} onClick={() => setChoosing(!choosing)}>Sign out everywhere…</button>
        </div>
      ) : null}
      {canSignOut && choosing ? (
        <div className="sign-out-choices" id={choicesId} data-testid="sign-out-everywhere">
          <button type="button" className="link" onClick={() => signOut("?everywhere=1")}>Sign out all sessions</button>
          <p className="muted">Ends every browser session of this account. Your API tokens keep working.</p>
          <button type="button" className="link" onClick={() => signOut("?everywhere=1&tokens=1")}>Sign out all sessions and revoke API tokens</button>
          <p className="muted">Also revokes every API token of this account at once; scripts using them stop working.</p>
        </div>
      ) : null}
    </div>
  );
}
