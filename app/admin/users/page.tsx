import { UsersAdmin } from "../../_components/auth/users-admin";
import { listUsers } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db/client";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const principal = await requirePagePrincipal("user:manage");
  const users = await listUsers(getDb());
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <div className="sub">Admins manage everything; analysts work with their team&apos;s data and runs; viewers read results and reports.</div>
        </div>
      </div>
      <UsersAdmin users={users} selfId={principal.userId} />
    </>
  );
}
