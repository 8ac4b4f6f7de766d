import Link from "next/link";

type Kind = "runs" | "experiments" | "datasets";

const FOR_WRITERS: Record<Kind, { text: string; href: string; action: string }> = {
  runs: { text: "No runs yet.", href: "/runs/new", action: "Launch one" },
  experiments: { text: "No experiments yet.", href: "/experiments/new", action: "Start one" },
  datasets: { text: "No datasets yet.", href: "/datasets", action: "Import one above or generate a synthetic one" },
};

const FOR_READERS: Record<Kind, string> = {
  runs: "No runs to read yet. When analysts train models, their results appear here: metrics, learning curves, comparisons, bias reports and model cards.",
  experiments: "No experiments to read yet. When analysts run searches, cross-validations or ablations, their leaderboards and results appear here.",
  datasets: "No datasets to read yet. When analysts import data, its statistics and data sheet appear here.",
};

/**
 * An empty list that fits the reader's role: analysts and admins get the call to action, a
 * viewer (who may not create anything) learns what will be there to read instead.
 */
export function EmptyState({ kind, mayCreate }: { kind: Kind; mayCreate: boolean }) {
  if (!mayCreate) return <div className="empty" data-testid="empty-state">{FOR_READERS[kind]}</div>;
  const w = FOR_WRITERS[kind];
  return (
    <div className="empty" data-testid="empty-state">
      {w.text} <Link href={w.href}>{w.action}</Link>.
    </div>
  );
}
