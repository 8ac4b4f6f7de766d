import { TokensPanel } from "../../_components/auth/tokens-panel";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db/client";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const principal = await requirePagePrincipal("token:manage");
  const tokens = principal.userId ? await listApiTokens(getDb(), principal.userId) : [];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <div className="sub">For the REST API and the CLI: send <code>Authorization: Bearer &lt;token&gt;</code>. Tokens are stored hashed and can be revoked at any time.</div>
        </div>
      </div>
      {principal.userId ? <TokensPanel tokens={tokens} role={principal.role} /> : <div className="panel empty">Single-user mode has no accounts, so no tokens: API calls from this machine need none.</div>}
    </>
  );
}
