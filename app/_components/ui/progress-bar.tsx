export function ProgressBar({ value, text }: { value: number; text?: string | null }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div>
      <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <div style={{ width: `${pct}%` }} />
      </div>
      {text ? <div className="progress-text">{text}</div> : null}
    </div>
  );
}
