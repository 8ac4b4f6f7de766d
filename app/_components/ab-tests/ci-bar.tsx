import { TONE_FILL, type Tone } from "@/lib/metrics/direction";

/**
 * A lift's 95% CI as a horizontal bar around zero (GrowthBook-style): every bar of a table shares
 * the scale ±`reach`, so widths compare; the dot is the estimate, the grey line zero.
 */
export function CiBar({ lift, ci, reach, tone }: { lift: number; ci: [number, number]; reach: number; tone: Tone }) {
  const width = 160;
  const x = (v: number) => width / 2 + (Math.max(-reach, Math.min(reach, v)) / reach) * (width / 2 - 4);
  const fill = TONE_FILL[tone];
  return (
    <svg viewBox={`0 0 ${width} 18`} className="ci-bar" role="img" aria-label={`95% CI ${(100 * ci[0]).toFixed(1)}% to ${(100 * ci[1]).toFixed(1)}%`}>
      <line x1={width / 2} x2={width / 2} y1={1} y2={17} stroke="#5b6470" strokeWidth={1} />
      <rect x={x(ci[0])} y={5} width={Math.max(1, x(ci[1]) - x(ci[0]))} height={8} rx={3} fill={fill} opacity={0.55} />
      <circle cx={x(lift)} cy={9} r={3.5} fill={fill} />
    </svg>
  );
}
