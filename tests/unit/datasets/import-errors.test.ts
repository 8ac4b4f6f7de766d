import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { importDataset, type ImportInput } from "@/lib/datasets/import";
import { appError, fixture, tempFiles } from "./helpers";

const tmp = tempFiles();

const ml100k = (ratings: string, extra: Partial<ImportInput> = {}): ImportInput => ({
  format: "movielens-100k",
  files: { ratings },
  ...extra,
});
const csv = (ratings: string, columns: { user: string; item: string; rating?: string; timestamp?: string }, extra: Partial<NonNullable<ImportInput["csv"]>> = {}): ImportInput => ({
  format: "csv",
  files: { ratings },
  csv: { delimiter: ",", hasHeader: true, columns, ...extra },
});

/** Table-driven: each case is an import that must fail with exactly this message. */
const cases: { label: string; input: () => ImportInput; message: string; code?: string }[] = [
  { label: "non-numeric rating", input: () => ml100k(fixture("malformed", "bad-rating.data")), message: "line 3: rating 'abc' is not a number" },
  {
    label: "comma file read as tab-separated u.data",
    input: () => ml100k(fixture("malformed", "comma.data")),
    message: "line 1: expected 4 fields separated by tab, found 1",
  },
  { label: "short row", input: () => ml100k(fixture("malformed", "short-row.data")), message: "line 2: expected 4 fields separated by tab, found 2" },
  { label: "empty file", input: () => ml100k(fixture("malformed", "empty.data")), message: "the file is empty" },
  { label: "only blank lines", input: () => ml100k(fixture("malformed", "blank-lines.data")), message: "the file is empty" },
  {
    label: "binary file",
    input: () => ml100k(tmp.write("binary.data", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256))),
    message: "the file is not text (it looks binary)",
  },
  {
    label: "gzipped binary file",
    input: () => ml100k(tmp.gzip("binary.data.gz", Uint8Array.from({ length: 4096 }, (_, i) => (i * 13) % 256))),
    message: "the file is not text (it looks binary)",
  },
  {
    label: "truncated gzip",
    input: () => ml100k(tmp.write("cut.data.gz", truncatedGzip())),
    message: "the file is not valid gzip (it is damaged or truncated)",
  },
  {
    label: "empty user id when missing ids are not dropped",
    input: () => ({
      ...csv(fixture("malformed", "missing-user.csv"), { user: "user", item: "item", rating: "rating" }),
      preprocess: { dropMissingIds: false },
    }),
    message: "line 4: user id is empty",
  },
  {
    label: "malformed JSON line",
    input: () => ({ format: "amazon", files: { ratings: fixture("malformed", "bad-json.jsonl") } }),
    message: "line 2: not valid JSON",
  },
  {
    label: "JSON line missing asin (blank line still counted)",
    input: () => ({ format: "amazon", files: { ratings: fixture("malformed", "missing-asin.jsonl") } }),
    message: "line 3: missing field 'asin'",
  },
  {
    label: "side file errors carry the file's name",
    input: () => ({ format: "movielens-100k", files: { ratings: fixture("ml-100k", "sample.u.data"), items: fixture("malformed", "u.item") } }),
    message: "u.item line 4: expected 24 fields separated by '|', found 5",
  },
  {
    label: "empty side file",
    input: () => ({ format: "movielens-dat", files: { ratings: fixture("ml-1m", "sample-ratings.dat"), users: fixture("malformed", "empty.data") } }),
    message: "users.dat: the file is empty",
  },
  {
    label: "amazon metadata errors are labelled",
    input: () => ({ format: "amazon", files: { ratings: fixture("amazon", "reviews.jsonl"), items: fixture("malformed", "bad-json.jsonl") } }),
    message: "metadata line 2: not valid JSON",
  },
  {
    label: "'::' file with a wrong field count",
    input: () => ({ format: "movielens-dat", files: { ratings: tmp.write("r.dat", "1::2::3::4\n1::2::3\n") } }),
    message: "line 2: expected 4 fields separated by '::', found 3",
  },
  {
    label: "csv column missing from the header (wrong delimiter hint)",
    input: () => csv(fixture("csv", "no-header.tsv"), { user: "user", item: "item" }, { delimiter: ";" }),
    message: "line 1: the header has no column 'user'; found 'u1\ti1\t1' (is the separator ';' right?)",
  },
  {
    label: "csv without header: too few fields for the chosen columns",
    input: () => csv(tmp.write("comma.txt", "a,b,1\n"), { user: "0", item: "1", rating: "2" }, { delimiter: "\t", hasHeader: false }),
    message: "line 1: expected at least 3 fields separated by tab, found 1",
  },
  {
    label: "csv row with a different field count than the header",
    input: () => csv(tmp.write("ragged.csv", "user,item,rating\na,b,1\nc,d\n"), { user: "user", item: "item" }),
    message: "line 3: expected 3 fields separated by ',', found 2",
  },
  {
    label: "bad ISO timestamp",
    input: () => csv(tmp.write("dates.csv", "u,i,t\na,b,2021-13-45\n"), { user: "u", item: "i", timestamp: "t" }),
    message: "line 2: timestamp '2021-13-45' is not a unix time or an ISO date",
  },
  {
    label: "MovieLens timestamps must be numbers",
    input: () => ml100k(tmp.write("ts.data", "1\t2\t3\tyesterday\n")),
    message: "line 1: timestamp 'yesterday' is not a number",
  },
  {
    label: "unclosed quote names the line it opened on",
    input: () => csv(fixture("malformed", "unclosed-quote.csv"), { user: "user", item: "item" }),
    message: "line 3: a quoted field is not closed",
  },
  {
    label: "header but no rows",
    input: () => csv(tmp.write("header.csv", "user,item\n"), { user: "user", item: "item" }),
    message: "the file has a header but no rows",
  },
  {
    label: "invalid UTF-8 in a UTF-8 format",
    input: () =>
      csv(tmp.write("latin.csv", Buffer.concat([Buffer.from("user,item\na,b\nc,caf"), Buffer.from([0xe9]), Buffer.from("\n")])), {
        user: "user",
        item: "item",
      }),
    message: "line 3: text is not valid UTF-8",
  },
  {
    label: "over-long line",
    input: () => ({ ...ml100k(tmp.write("long.data", `1\t2\t3\t4\n${"9".repeat(300)}\n`)), limits: { maxLineBytes: 100 } }),
    message: "line 2: line is longer than 100 bytes",
  },
  {
    label: "timestamp beyond the supported range",
    input: () => ml100k(tmp.write("far.data", "1\t2\t3\t881250949\n1\t3\t4\t881250950\n2\t2\t5\t99999999999999999999\n")),
    message: "line 3: timestamp 99999999999999999999 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799)",
  },
  {
    label: "timestamp before 1900",
    input: () => ml100k(tmp.write("early.data", "1\t2\t3\t-8639999999999\n")),
    message: "line 1: timestamp -8639999999999 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799)",
  },
  {
    label: "timestamp in milliseconds",
    input: () => ml100k(tmp.write("millis.data", "1\t2\t3\t1614850000000\n")),
    message: "line 1: timestamp 1614850000000 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799); it looks like milliseconds, give seconds",
  },
  {
    label: "ISO date beyond the supported range",
    input: () => csv(tmp.write("iso.csv", "user,item,when\na,b,2021-03-04\na,c,2150-01-01\n"), { user: "user", item: "item", timestamp: "when" }),
    message: "line 3: timestamp 2150-01-01 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799)",
  },
  {
    label: "row limit",
    input: () => ({ ...ml100k(fixture("ml-100k", "sample.u.data")), limits: { maxRows: 5 } }),
    message: "the file has more than 5 rows",
    code: "TOO_LARGE",
  },
  {
    label: "gzip bomb of blank lines: the line limit counts them",
    input: () => ({ ...ml100k(tmp.write("blank-bomb.data.gz", blankLinesGzip(1024 * 1024, 8))), limits: { maxRows: 1000 } }),
    message: "the file has more than 1001 lines (blank lines count too); it was refused",
    code: "TOO_LARGE",
  },
  {
    label: "gzip bomb of blank lines: the text limit counts them",
    input: () => ({ ...ml100k(tmp.write("blank-bomb-2.data.gz", blankLinesGzip(1024 * 1024, 8))), limits: { maxBytes: 2 * 1024 * 1024 } }),
    message: "the file holds more than 2 MB of text (after decompression); it was refused",
    code: "TOO_LARGE",
  },
  {
    label: "everything filtered away",
    input: () => ({ ...ml100k(fixture("ml-100k", "sample.u.data")), preprocess: { kCore: { users: 50, items: 1 } } }),
    message: "no interactions are left after preprocessing (read 10 rows; dropped 1 duplicates, 9 kCore)",
  },
  {
    label: "csv format without csv options",
    input: () => ({ format: "csv", files: { ratings: fixture("csv", "interactions.csv") } }),
    message: "the csv format needs csv options naming the user and item columns",
  },
];

/** `members` concatenated gzip members of `bytes` newlines each: tiny on disk, huge unpacked. */
function blankLinesGzip(bytes: number, members: number): Buffer {
  const member = gzipSync(Buffer.alloc(bytes, 0x0a), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

function truncatedGzip(): Buffer {
  const full = gzipSync(Buffer.from("1\t2\t3\t4\n".repeat(5000)));
  return full.subarray(0, Math.floor(full.length / 2));
}

describe("importDataset errors", () => {
  it.each(cases)("$label", async ({ input, message, code }) => {
    const error = await appError(importDataset(input()), code);
    expect(error.message).toBe(message);
  });

  it("refuses a 10 MB single line without buffering it", async () => {
    const giant = tmp.write("giant.data", Buffer.alloc(10 * 1024 * 1024, 0x31));
    const before = process.memoryUsage().arrayBuffers;
    const error = await appError(importDataset(ml100k(giant)));
    expect(error.message).toBe("line 1: line is longer than 1048576 bytes");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  });

  it("records line and field in the error details", async () => {
    const error = await appError(importDataset(ml100k(fixture("malformed", "bad-rating.data"))));
    expect(error.details).toEqual({ line: 3, field: "rating" });
  });
});
