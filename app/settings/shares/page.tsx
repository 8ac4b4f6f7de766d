import { SharesPanel } from "../../_components/reports/shares-panel";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { listShareLinks } from "@/lib/server/share-links";
import { isSharingEnabled } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function ShareLinksPage() {
  const principal = await requirePagePrincipal("report:share");
  const db = getDb();
  const [links, enabled] = await Promise.all([listShareLinks(db, principal), isSharingEnabled(db)]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Share links</h1>
          <div className="sub">Read-only links to one report each, for people without an account. Create them from a report&apos;s Export menu; every link expires, and revoking it ends it at once.</div>
        </div>
      </div>
      <SharesPanel links={links} enabled={enabled} mayManage={can(principal.role, "sharing:manage")} />
    </>
  );
}
