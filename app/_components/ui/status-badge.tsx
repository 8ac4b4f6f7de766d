export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`} data-testid="run-status">{status.toLowerCase()}</span>;
}
