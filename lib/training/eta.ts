import { formatEta } from "../util/format";

/**
 * The ETA of a training run after launch. Per-epoch time is smoothed with an exponentially
 * weighted moving average (so one slow epoch, e.g. a checkpoint or a busy machine, does not make
 * the estimate jump), and early stopping is accounted for: the remaining time is at most the
 * remaining epochs, and the run stops sooner, after the remaining patience, unless validation
 * improves again.
 */
export class TrainingEta {
  private smoothed: number | null = null;
  private lastElapsed = 0;
  private best: number | null = null;
  private evaluationsSinceBest = 0;

  constructor(
    private readonly options: { patience: number; evalEvery: number; higherIsBetter: boolean; alpha?: number },
  ) {}

  /** Records an epoch: its elapsed wall time since training started, and the monitor's value when evaluated. */
  observe(epoch: { elapsedSeconds: number; monitor?: number }): void {
    const seconds = Math.max(0, epoch.elapsedSeconds - this.lastElapsed);
    this.lastElapsed = epoch.elapsedSeconds;
    const alpha = this.options.alpha ?? 0.3;
    this.smoothed = this.smoothed === null ? seconds : alpha * seconds + (1 - alpha) * this.smoothed;
    const value = epoch.monitor;
    if (value === undefined || !Number.isFinite(value)) return;
    const improves = this.best === null || (this.options.higherIsBetter ? value > this.best : value < this.best);
    if (improves) {
      this.best = value;
      this.evaluationsSinceBest = 0;
    } else this.evaluationsSinceBest++;
  }

  /** Seconds left at most (every remaining epoch runs) and if early stopping ends training at its first chance. */
  remaining(epoch: number, totalEpochs: number): { atMost: number; ifNoImprovement: number } {
    const perEpoch = this.smoothed ?? NaN;
    const left = Math.max(0, totalEpochs - epoch);
    const untilStop = Math.max(1, this.options.patience - this.evaluationsSinceBest) * this.options.evalEvery;
    return { atMost: left * perEpoch, ifNoImprovement: Math.min(left, untilStop) * perEpoch };
  }

  /** "ETA at most 12 min 3 s (early stopping: ~40 s if NDCG@10 does not improve)". */
  message(epoch: number, totalEpochs: number, monitorLabel: string): string {
    const { atMost, ifNoImprovement } = this.remaining(epoch, totalEpochs);
    if (ifNoImprovement >= atMost) return `ETA ${formatEta(atMost)}`;
    return `ETA at most ${formatEta(atMost)} (early stopping: ~${formatEta(ifNoImprovement)} if ${monitorLabel} does not improve)`;
  }
}
