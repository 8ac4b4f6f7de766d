import Link from "next/link";
import { emptyStateCopy, type EmptyKind } from "./empty-state-copy";

/** An empty list that fits the reader's role (see emptyStateCopy). */
export function EmptyState({ kind, mayCreate }: { kind: EmptyKind; mayCreate: boolean }) {
  const { text, action } = emptyStateCopy(kind, mayCreate);
  return (
    <div className="empty" data-testid="empty-state">
      {text}
      {action ? <> <Link href={action.href}>{action.label}</Link>.</> : null}
    </div>
  );
}
