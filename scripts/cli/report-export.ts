import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ReportFormat } from "../../lib/reports/document";
import { exportHref, REPORT_FORMATS, type ExportableTarget } from "../../lib/reports/report-target";

/**
 * `reclab report export`: downloads one report through GET /api/reports/export of a running
 * RecLab (RECLAB_URL), authenticated with an API token (RECLAB_TOKEN, from Settings → API
 * tokens; none needed in single-user mode on this machine), so the same team scoping, roles
 * and audit log apply as in the browser.
 */

export const REPORT_EXPORT_HELP = `  npx reclab report export (--run ID | --experiment ID | --compare ID,ID[,…] | --dataset ID | --bias RUN_ID)
                          [--format html|pdf|csv|json] [--out FILE] [--url URL] [--token TOKEN]
      Downloads one report: a run, an experiment, a comparison of 2 to 12 runs, a dataset's data
      sheet or a run's bias and diversity report. The format defaults to the --out extension;
      --out defaults to the server's file name in the current directory.
      RECLAB_URL (default http://127.0.0.1:3000) and RECLAB_TOKEN (an API token) can replace
      --url and --token.`;

export interface ReportExportOptions {
  target: ExportableTarget;
  format: ReportFormat;
  out: string | null;
  url: string;
  token: string | null;
}

const isFormat = (value: string): value is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(value);

/** Parses the arguments after `report export`; throws an Error with a message for the user. */
export function parseReportExportArgs(argv: string[], env: Record<string, string | undefined> = process.env): ReportExportOptions {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      run: { type: "string" },
      experiment: { type: "string" },
      compare: { type: "string" },
      dataset: { type: "string" },
      bias: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
    },
  });
  const chosen = (["run", "experiment", "compare", "dataset", "bias"] as const).filter((k) => values[k] !== undefined);
  if (chosen.length !== 1) throw new Error("name exactly one report: --run, --experiment, --compare, --dataset or --bias");
  const which = chosen[0];
  const id = values[which]!.trim();
  if (!id) throw new Error(`--${which} needs an id`);
  let target: ExportableTarget;
  if (which === "compare") {
    const ids = [...new Set(id.split(",").map((s) => s.trim()).filter(Boolean))];
    if (ids.length < 2) throw new Error("--compare needs at least two distinct run ids, comma-separated");
    target = { kind: "comparison", runIds: ids };
  } else if (which === "run") target = { kind: "run", runId: id };
  else if (which === "bias") target = { kind: "bias", runId: id };
  else if (which === "experiment") target = { kind: "experiment", experimentId: id };
  else target = { kind: "dataset", datasetId: id };

  const fromOut = values.out ? path.extname(values.out).slice(1).toLowerCase() : "";
  const format = (values.format ?? (isFormat(fromOut) ? fromOut : "")).toLowerCase();
  if (!format) throw new Error("choose a format: --format html|pdf|csv|json (or an --out file ending in one of those)");
  if (!isFormat(format)) throw new Error(`unknown format "${format}": use html, pdf, csv or json`);

  const url = (values.url ?? env.RECLAB_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`--url must be an http(s) address, not "${url}"`);
  return { target, format, out: values.out ?? null, url, token: values.token ?? env.RECLAB_TOKEN ?? null };
}

/** The file name from a Content-Disposition header, kept to a plain base name. */
function attachmentName(header: string | null): string | null {
  const name = header ? /filename="([^"]+)"/.exec(header)?.[1] : undefined;
  return name ? path.basename(name) : null;
}

/** Downloads the report and writes it; returns the process exit code. */
export async function runReportExport(options: ReportExportOptions, fetchImpl: typeof fetch = fetch, log: (line: string) => void = console.log): Promise<number> {
  const href = `${options.url}${exportHref(options.target, options.format)}`;
  let response: Response;
  try {
    response = await fetchImpl(href, { headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
  } catch (error) {
    console.error(`cannot reach RecLab at ${options.url}: ${(error as Error).message} (set --url or RECLAB_URL)`);
    return 1;
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    const hint = response.status === 401 ? " (pass an API token with --token or RECLAB_TOKEN)" : "";
    console.error(`export failed (${response.status}): ${body?.error?.message ?? response.statusText}${hint}`);
    return 1;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const out = options.out ?? attachmentName(response.headers.get("content-disposition")) ?? `reclab-report.${options.format}`;
  fs.writeFileSync(out, body);
  log(`wrote ${out} (${(body.byteLength / 1024).toFixed(1)} KB, ${response.headers.get("content-type") ?? "unknown type"})`);
  return 0;
}
