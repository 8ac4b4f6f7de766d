import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { freePort } from "../../lib/util/free-port";

/** The real server for benchmarks: scripts/start.ts (migrations, build if needed, web + one worker). */
export interface LiveServer {
  baseUrl: string;
  env: Record<string, string>;
  /** Process group of the server (web, worker, import processes all belong to it). */
  pgid: number;
  /** False once scripts/start.ts has exited (it does when its web server or worker dies). */
  alive(): boolean;
  /** Ends the whole process group, also members left behind after start.ts exited. */
  stop(): Promise<void>;
}

/** `npm start` on `databaseUrl` in its own process group, single-user, no demo seed; resolves once /api/health answers. */
export async function startServer(databaseUrl: string, env: Record<string, string>, port?: number): Promise<LiveServer> {
  const chosen = port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PORT: String(chosen), HOST: "127.0.0.1", RECLAB_SEED_DEMO: "0", RECLAB_SINGLE_USER: "1" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  child.once("exit", (code, signal) => console.error(`[live-server] the server (scripts/start.ts) exited: ${signal ?? `code ${code}`}`));
  const baseUrl = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("the server did not answer /api/health within 15 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseUrl,
    env,
    pgid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // no member left
          }
          return resolve();
        }
        child.once("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
        setTimeout(() => {
          if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
        }, 10_000).unref();
      }),
  };
}

export interface HealthSummary {
  count: number;
  failures: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Seconds into the polling when the slowest answer was asked for. */
  maxAt: number;
}

/** Polls /api/health every `intervalMs` until stopped; latencies in ms (failures count as their time). */
export function pollHealth(baseUrl: string, intervalMs = 50): { stop: () => Promise<HealthSummary> } {
  const latencies: number[] = [];
  const begun = performance.now();
  let slowest = { ms: -1, at: 0 };
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(30_000) });
        await response.text();
        if (!response.ok) failures++;
      } catch {
        failures++;
      }
      const elapsed = performance.now() - started;
      latencies.push(elapsed);
      if (elapsed > slowest.ms) slowest = { ms: elapsed, at: (started - begun) / 1000 };
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - elapsed)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = Float64Array.from(latencies).sort();
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
      return { count: sorted.length, failures, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN, maxAt: slowest.at };
    },
  };
}

export interface UploadAnswer {
  status: number;
  /** The JSON body, or null when it was not JSON. */
  body: unknown;
  text: string;
  bytes: number;
}

/** Streams a multipart upload of `file` (plus text fields) to POST `urlPath` with node:http; an early answer (413) is still read. */
export function uploadFile(baseUrl: string, urlPath: string, fields: Record<string, string>, file: { field: string; path: string }): Promise<UploadAnswer> {
  const boundary = `----reclab-bench-${randomUUID()}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") +
      `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${path.basename(file.path)}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + fs.statSync(file.path).size + tail.length;
  return new Promise((resolve) => {
    let answered = false;
    const request = http.request(`${baseUrl}${urlPath}`, {
      method: "POST",
      agent: false,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": length },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (d: string) => (text += d));
      response.on("end", () => {
        answered = true;
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: response.statusCode ?? 0, body, text, bytes: length });
        request.destroy(); // an early answer (413): stop sending the rest
      });
    });
    request.on("error", (error) => {
      // The server may close the connection after answering early; only a missing answer counts.
      setTimeout(() => {
        if (!answered) resolve({ status: 0, body: null, text: `no answer: ${error.message}`, bytes: length });
      }, 1000);
    });
    request.write(head);
    const body = fs.createReadStream(file.path);
    body.on("end", () => request.end(tail));
    body.on("error", () => request.destroy());
    body.pipe(request, { end: false });
  });
}
