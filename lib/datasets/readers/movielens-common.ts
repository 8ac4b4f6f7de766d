/** MovieLens 1M age bands (its users.dat codes 1, 18, 25, 35, 45, 50, 56). */
const AGE_BANDS: [number, string][] = [
  [56, "56+"],
  [50, "50-55"],
  [45, "45-49"],
  [35, "35-44"],
  [25, "25-34"],
  [18, "18-24"],
  [0, "Under 18"],
];

/** The MovieLens 1M age band of an age in years (or of a 1M age code), null when not a number. */
export function ageBand(age: string): string | null {
  const years = Number(age.trim());
  if (age.trim() === "" || !Number.isFinite(years)) return null;
  for (const [from, label] of AGE_BANDS) if (years >= from) return label;
  return null;
}
