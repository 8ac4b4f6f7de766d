import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AbLogError, readAbLog, readAbLogFile, type AbLogOptions } from "@/lib/simulation/ab-log";
import { analyzeAbTest } from "@/lib/stats/ab-tests";

const FIXTURES = path.join(__dirname, "../../fixtures/ab");
const HEADER = "user,arm,timestamp,impressions,clicks,dwell_seconds,conversion";

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split("\n")) yield line;
}

const read = (text: string, options?: AbLogOptions) => readAbLog(linesOf(text), options);

/** The AbLogError a log is refused with. */
async function refusal(text: string, options?: AbLogOptions): Promise<AbLogError> {
  try {
    await read(text, options);
  } catch (e) {
    if (e instanceof AbLogError) return e;
    throw e;
  }
  throw new Error("the log was accepted");
}

describe("readAbLog reduces rows to per-user totals", () => {
  const log = [
    HEADER,
    "alice,B,1790000000,10,2,30.5,0",
    "bob,A,1790000100,8,0,0,0",
    "alice,B,1790086400,10,1,12,1",
    "carol,A,1790000200,5,5,100.25,2",
    "carol,A,1790000200,5,1,3,0", // same timestamp twice: not a return
    "bob,A,2026-09-23T00:00:00Z,4.0, 1 ,7.5,true", // whole numbers as "4.0" and padded are fine
  ].join("\n");

  it("sums each user's visits, impressions, clicks, dwell and conversions", async () => {
    const { arms, rows } = await read(log);
    expect(rows).toBe(6);
    // Arms in order of first appearance: B first.
    expect(arms.map((a) => a.armId)).toEqual(["B", "A"]);
    const [b, a] = arms;
    expect(Array.from(b.visits)).toEqual([2]);
    expect(Array.from(b.impressions)).toEqual([20]);
    expect(Array.from(b.clicks)).toEqual([3]);
    expect(Array.from(b.dwellSeconds)).toEqual([42.5]);
    expect(Array.from(b.conversions)).toEqual([1]);
    expect(Array.from(b.returned)).toEqual([1]);
    // Users in order of first appearance: bob, carol.
    expect(Array.from(a.visits)).toEqual([2, 2]);
    expect(Array.from(a.impressions)).toEqual([12, 10]);
    expect(Array.from(a.clicks)).toEqual([1, 6]);
    expect(Array.from(a.dwellSeconds)).toEqual([7.5, 103.25]);
    expect(Array.from(a.conversions)).toEqual([1, 2]);
    expect(Array.from(a.returned)).toEqual([1, 0]);
    expect(a.catalogueSize).toBe(0);
  });

  it("an arm named control (any case) comes first", async () => {
    const text = [HEADER, "u1,new-ranker,1790000000,10,1,5,0", "u2,Control,1790000000,10,1,5,0", "u3,other,1790000000,10,1,5,0"].join("\n");
    const { arms } = await read(text);
    expect(arms.map((a) => a.label)).toEqual(["Control", "new-ranker", "other"]);
  });

  it("accepts aliases in any case and order, quotes, tabs, a BOM, CRLF and blank lines; ignores extra columns", async () => {
    const text = [
      "\uFEFFVariant,\"User ID\",Views,Clicks,Dwell Time,Converted,Propensity,Event-Time\r",
      "control,\"u,1\",10,2,\"12.5\",no,0.5,1790000000\r",
      "",
      "treatment,\"u \"\"2\"\"\",10,0,0,yes,0.5,1790000000\r",
    ].join("\n");
    const { arms } = await read(text);
    expect(arms.map((a) => [a.label, a.impressions.length, a.clicks[0], a.dwellSeconds[0], a.conversions[0]])).toEqual([
      ["control", 1, 2, 12.5, 0],
      ["treatment", 1, 0, 0, 1],
    ]);
    const tabbed = ["user\tgroup\tts\timpressions\tclick\tdwell\tconversions", "a\tx\t1790000000\t3\t1\t2\t0", "b\ty\t1790000000\t3\t0\t0\t0"].join("\n");
    expect((await read(tabbed)).arms.map((a) => a.label)).toEqual(["x", "y"]);
  });

  it("a quoted field may span lines; errors then name the record's first line", async () => {
    const text = [HEADER, '"multi', 'line user",A,1790000000,10,1,5,0', "u2,B,1790000000,10,x,5,0"].join("\n");
    const error = await refusal(text);
    expect(error.message).toBe("line 4, clicks: 'x' is not a non-negative integer");
  });

  it("reports progress and stops when aborted", async () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `u${i},${i % 2 ? "A" : "B"},1790000000,10,1,5,0`);
    const seen: number[] = [];
    await read([HEADER, ...rows].join("\n"), { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([50_000, 100_000]);
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the user"));
    await expect(read([HEADER, ...rows].join("\n"), { signal: controller.signal })).rejects.toThrow("cancelled by the user");
  });
});

describe("readAbLog refuses bad logs with the line and field", () => {
  const row = (...fields: (string | number)[]) => fields.join(",");
  it.each([
    ["a non-integer count", [row("u1", "A", 1790000000, 10, "abc", 1, 0)], 2, "clicks", "line 2, clicks: 'abc' is not a non-negative integer"],
    ["a fractional count", [row("u1", "A", 1790000000, 10, 1.5, 1, 0)], 2, "clicks", "line 2, clicks: '1.5' is not a non-negative integer"],
    ["a negative count", [row("u1", "A", 1790000000, -1, 0, 1, 0)], 2, "impressions", "line 2, impressions: '-1' is not a non-negative integer"],
    ["more clicks than impressions", [row("u1", "A", 1790000000, 3, 4, 1, 0)], 2, "clicks", "line 2, clicks: 4 clicks exceed the 3 impressions of the visit"],
    ["negative dwell", [row("u1", "A", 1790000000, 3, 1, -2.5, 0)], 2, "dwell_seconds", "line 2, dwell_seconds: -2.5 is negative"],
    ["a non-numeric dwell", [row("u1", "A", 1790000000, 3, 1, "1e", 0)], 2, "dwell_seconds", "line 2, dwell_seconds: '1e' is not a number of seconds"],
    ["a bad conversion", [row("u1", "A", 1790000000, 3, 1, 2, "maybe")], 2, "conversion", "line 2, conversion: 'maybe' is not a count or true/false"],
    ["an empty user", [row("", "A", 1790000000, 3, 1, 2, 0)], 2, "user", "line 2, user: is empty"],
    ["an empty timestamp", [row("u1", "A", "", 3, 1, 2, 0)], 2, "timestamp", "line 2, timestamp: is empty"],
    [
      "a timestamp in milliseconds",
      [row("u1", "A", 1790000000000, 3, 1, 2, 0)],
      2,
      "timestamp",
      "line 2, timestamp: 1790000000000 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799); it looks like milliseconds, give seconds",
    ],
    ["a timestamp that is no date", [row("u1", "A", "yesterday", 3, 1, 2, 0)], 2, "timestamp", "line 2, timestamp: 'yesterday' is not a unix time or an ISO date"],
    ["a short row", [row("u1", "A", 1790000000, 3, 1)], 2, "dwell_seconds", "line 2, dwell_seconds: the row has 5 fields but the header has 7"],
    [
      "a user in two arms",
      [row("u1", "A", 1790000000, 3, 1, 2, 0), row("u2", "B", 1790000000, 3, 1, 2, 0), row("u1", "B", 1790000001, 3, 1, 2, 0)],
      4,
      "arm",
      "line 4, arm: user 'u1' is in arm 'B' here but in arm 'A' on line 2; a user belongs to one arm",
    ],
    [
      "a fifth arm",
      ["A", "B", "C", "D", "E"].map((arm, i) => row(`u${i}`, arm, 1790000000, 3, 1, 2, 0)),
      6,
      "arm",
      "line 6, arm: 'E' would be arm 5; at most 4 arms are supported ('A', 'B', 'C', 'D' so far)",
    ],
    ["a single arm", [row("u1", "A", 1790000000, 3, 1, 2, 0), row("u2", "A", 1790000000, 3, 1, 2, 0)], 3, "arm", "line 3, arm: the log has only one arm ('A'); an A/B test compares 2 to 4 arms"],
    ["a header and no rows", [], 1, "row", "line 1: the log has a header but no rows"],
    ["an unclosed quote", ['"u1,A,1790000000,3,1,2,0'], 2, "row", "line 2, row: a quoted field is never closed"],
  ])("%s", async (_label, rows, line, field, message) => {
    const error = await refusal([HEADER, ...rows].join("\n"));
    expect(error.message).toBe(message);
    expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.code).toBe("BAD_INPUT");
  });

  it("a header without a required column names it and the accepted aliases", async () => {
    const error = await refusal("user,arm,timestamp,impressions,clicks,conversion\nu1,A,1790000000,3,1,0");
    expect(error.line).toBe(1);
    expect(error.field).toBe("dwell_seconds");
    expect(error.message).toMatch(/^line 1, dwell_seconds: the header has no dwell_seconds column \(accepted names: dwell_seconds, dwell, /);
  });

  it("a column given twice under two aliases is refused", async () => {
    const error = await refusal(`${HEADER},views\nu1,A,1790000000,3,1,2,0,3`);
    expect(error.message).toBe("line 1, impressions: the header names the impressions column twice ('impressions' and 'views')");
  });

  it("an empty file", async () => {
    expect((await refusal("")).message).toBe("line 1, header: the file is empty");
  });

  it("more rows than the limit", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `u${i},${i % 2 ? "A" : "B"},1790000000,10,1,5,0`);
    const error = await refusal([HEADER, ...rows].join("\n"), { maxRows: 5 });
    expect(error.message).toBe("line 7: the log has more than 5 rows; it was refused");
  });
});

describe("fixtures", () => {
  it("ab-log-small.csv: 2,000 rows, 2 arms, a significant CTR lift", async () => {
    const { arms, rows } = await readAbLogFile(path.join(FIXTURES, "ab-log-small.csv"));
    expect(rows).toBe(2000);
    expect(arms.map((a) => [a.label, a.impressions.length])).toEqual([
      ["control", 194],
      ["treatment", 196],
    ]);
    const analysis = analyzeAbTest(arms, { expectedShares: [0.5, 0.5] });
    const ctr = analysis.metrics.find((m) => m.metricId === "ctr")?.comparisons[0];
    expect(ctr?.significant).toBe(true);
    expect(ctr?.lift).toBeGreaterThan(0.15);
    expect(analysis.verdict[0]).toMatch(/^treatment raises CTR by 37\.5% \(95% CI 15\.8% to 59\.3%, p < 0\.001\)/);
  });

  it("a gzip-compressed log reads the same", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ab-log-"));
    try {
      const gz = path.join(dir, "ab-log-small.csv.gz");
      writeFileSync(gz, gzipSync(readFileSync(path.join(FIXTURES, "ab-log-small.csv"))));
      const { arms, rows } = await readAbLogFile(gz);
      expect(rows).toBe(2000);
      expect(arms[1].clicks.reduce((s, v) => s + v, 0)).toBe((await readAbLogFile(path.join(FIXTURES, "ab-log-small.csv"))).arms[1].clicks.reduce((s, v) => s + v, 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ab-log-invalid.csv is refused at line 5, clicks", async () => {
    await expect(readAbLogFile(path.join(FIXTURES, "ab-log-invalid.csv"))).rejects.toMatchObject({
      line: 5,
      field: "clicks",
      message: "line 5, clicks: 'abc' is not a non-negative integer",
    });
  });
});
