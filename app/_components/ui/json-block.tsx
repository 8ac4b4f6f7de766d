/**
 * A configuration shown as indented JSON. It scrolls sideways when a line is long (auto-default
 * reasons, long lists), so it is focusable and labelled: keyboard users can scroll it too.
 */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="mono" style={{ overflowX: "auto" }} tabIndex={0} role="region" aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
