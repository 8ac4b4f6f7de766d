import Link from "next/link";
import { MAX_DATASETS_PAGE } from "@/lib/server/list-datasets";

/** Under a launch form whose dataset menu holds only the team's newest datasets. */
export function NewestDatasetsNote({ more }: { more: boolean }) {
  if (!more) return null;
  return (
    <p className="muted" style={{ marginTop: 12 }} data-testid="newest-datasets-note">
      The menu lists the newest {MAX_DATASETS_PAGE} datasets. For an older one, open it from <Link href="/datasets">Datasets</Link> and launch from its page.
    </p>
  );
}
