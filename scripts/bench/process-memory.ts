import fs from "node:fs";

/** One process of a sampled tree: its role and the peaks seen while sampling. */
export interface ProcessPeak {
  pid: number;
  role: string;
  /** Kernel high-water mark (VmHWM) at the last sample, MB: exact within one sampling interval. */
  hwmMb: number;
  /** Largest VmRSS sampled, MB. */
  rssMb: number;
}

const MB = 1024;

/** The role of a RecLab process, from its command line. */
export function processRole(cmdline: string): string {
  if (cmdline.includes("web-server")) return "web";
  if (cmdline.includes("import-process")) return "import";
  if (cmdline.includes("workers/main")) return "worker";
  if (cmdline.includes("scripts/start")) return "start";
  if (/\bnpm\b|npx/.test(cmdline)) return "npx";
  return cmdline.split(/\s+/)[0]?.split("/").pop() || "?";
}

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null; // exited
  }
}

/** Every live descendant of `root` (and root itself), from /proc/<pid>/stat parent ids. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readProc(pid, "stat");
    if (!stat) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
    parent.set(pid, Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!tree.has(pid) && tree.has(ppid)) (tree.add(pid), (grew = true));
  }
  return [...tree].filter((pid) => parent.has(pid));
}

function statusKb(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) : 0;
}

/**
 * Peak memory of a process tree (the server: web, worker, import children), sampled every
 * `intervalMs` from /proc/<pid>/status. `resetPeaks` clears the kernel high-water marks
 * (clear_refs 5) so each phase gets its own peak; where that is refused, VmHWM stays cumulative
 * and `hwmResettable` says so.
 */
export class ProcessTreeMemory {
  private peaks = new Map<number, ProcessPeak>();
  private timer: NodeJS.Timeout | null = null;
  hwmResettable = true;

  constructor(private readonly root: number, private readonly intervalMs = 250) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sample(): void {
    for (const pid of descendants(this.root)) {
      const status = readProc(pid, "status");
      if (!status) continue;
      const known = this.peaks.get(pid) ?? { pid, role: processRole((readProc(pid, "cmdline") ?? "").replace(/\0/g, " ")), hwmMb: 0, rssMb: 0 };
      known.hwmMb = Math.max(known.hwmMb, statusKb(status, "VmHWM") / MB);
      known.rssMb = Math.max(known.rssMb, statusKb(status, "VmRSS") / MB);
      this.peaks.set(pid, known);
    }
  }

  /** Starts a new phase: forgets the peaks so far and resets the kernel's high-water marks. */
  resetPeaks(): void {
    this.peaks.clear();
    for (const pid of descendants(this.root)) {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        this.hwmResettable = false;
      }
    }
    this.sample();
  }

  /** The peaks of the phase so far, per process (short-lived ones included), largest first. */
  snapshot(): ProcessPeak[] {
    this.sample();
    return [...this.peaks.values()].map((p) => ({ ...p })).sort((a, b) => b.hwmMb - a.hwmMb);
  }
}

/** "worker 5,120 · web 410 · import 3,900" (MB, processes above 50 MB; a role's largest process). */
export function describePeaks(peaks: ProcessPeak[]): string {
  const byRole = new Map<string, number>();
  for (const p of peaks) if (p.hwmMb >= 50) byRole.set(p.role, Math.max(byRole.get(p.role) ?? 0, p.hwmMb));
  return [...byRole].map(([role, mb]) => `${role} ${Math.round(mb).toLocaleString("en-US")}`).join(" · ");
}
