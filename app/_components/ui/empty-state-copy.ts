export type EmptyKind = "runs" | "experiments" | "datasets";

const FOR_WRITERS: Record<EmptyKind, { text: string; href: string; action: string }> = {
  runs: { text: "No runs yet.", href: "/runs/new", action: "Launch one" },
  experiments: { text: "No experiments yet.", href: "/experiments/new", action: "Start one" },
  datasets: { text: "No datasets yet.", href: "/datasets", action: "Import one above or generate a synthetic one" },
};

const FOR_READERS: Record<EmptyKind, string> = {
  runs: "No runs to read yet. When analysts train models, their results appear here: metrics, learning curves, comparisons, bias reports and model cards.",
  experiments: "No experiments to read yet. When analysts run searches, cross-validations or ablations, their leaderboards and results appear here.",
  datasets: "No datasets to read yet. When analysts import data, its statistics and data sheet appear here.",
};

/**
 * What an empty list says: analysts and admins get the call to action, a viewer (who may not
 * create anything) learns what there will be to read instead.
 */
export function emptyStateCopy(kind: EmptyKind, mayCreate: boolean): { text: string; action?: { href: string; label: string } } {
  if (!mayCreate) return { text: FOR_READERS[kind] };
  const w = FOR_WRITERS[kind];
  return { text: w.text, action: { href: w.href, label: w.action } };
}
