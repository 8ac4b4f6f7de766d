"use client";
import { useRouter } from "next/navigation";
import { fetchJson } from "../ui/fetch-json";

export function UserMenu({ email, role, canSignOut }: { email: string; role: string; canSignOut: boolean }) {
  const router = useRouter();
  const signOut = async (everywhere: boolean) => {
    await fetchJson(`/api/auth/logout${everywhere ? "?everywhere=1" : ""}`, { method: "POST" }).catch(() => undefined);
    router.push("/login");
    router.refresh();
  };
  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="who">{email}</div>
      <div className="role">{role}</div>
      {canSignOut ? (
        <div className="actions">
          <button type="button" className="link" onClick={() => signOut(false)}>Sign out</button>
          <button type="button" className="link" onClick={() => signOut(true)}>everywhere</button>
        </div>
      ) : null}
    </div>
  );
}
