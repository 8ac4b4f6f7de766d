/** Says which held-out part a number comes from: selection happens on validation, reporting on test. */
export function SplitLabel({ split }: { split: "validation" | "test" }) {
  return <span className={`label-split ${split}`} data-testid={`label-${split}`}>{split}</span>;
}
