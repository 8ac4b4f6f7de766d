"use client";
import { useState, type FormEvent } from "react";
import { sendJson } from "../ui/fetch-json";

/** "How many users would a 2% lift need?" — the closed-form planner, for anyone reading the test. */
export function PowerPlanner({ baselineRate, arms, usersPerArm }: { baselineRate: number; arms: number; usersPerArm: number | null }) {
  const [baseline, setBaseline] = useState(Number((100 * baselineRate).toFixed(2)) || 5);
  const [lift, setLift] = useState(2);
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function plan(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const p = await sendJson<{ usersPerArm: number; totalUsers: number }>("/api/ab-tests/plan", { baselineRate: baseline / 100, relativeLift: lift / 100, arms: Math.max(2, arms) });
      const enough = usersPerArm === null ? "" : usersPerArm >= p.usersPerArm ? ` This test had ${usersPerArm.toLocaleString("en-US")} per arm: enough.` : ` This test had ${usersPerArm.toLocaleString("en-US")} per arm: not enough.`;
      setAnswer(`A ${lift}% lift on a ${baseline}% baseline needs ${p.usersPerArm.toLocaleString("en-US")} users per arm (${p.totalUsers.toLocaleString("en-US")} in all) for 80% power at α = 0.05.${enough}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <form onSubmit={plan} aria-label="Power planner">
      <div className="row">
        <div className="field">
          <label htmlFor="plan-baseline">Baseline rate (%)</label>
          <input id="plan-baseline" type="number" step="any" min={0.01} max={99.99} value={baseline} onChange={(e) => setBaseline(Number(e.target.value))} />
        </div>
        <div className="field">
          <label htmlFor="plan-lift">Relative lift to detect (%)</label>
          <input id="plan-lift" type="number" step="any" min={0.1} max={1000} value={lift} onChange={(e) => setLift(Number(e.target.value))} />
        </div>
      </div>
      <button type="submit" className="secondary">How many users?</button>
      {error ? <div className="alert error" role="alert" style={{ marginTop: 10 }}>{error}</div> : null}
      {answer ? <p data-testid="plan-answer">{answer}</p> : null}
    </form>
  );
}
