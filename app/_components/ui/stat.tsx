export function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value">{typeof value === "number" ? value.toLocaleString("en-US") : value}</div>
    </div>
  );
}
