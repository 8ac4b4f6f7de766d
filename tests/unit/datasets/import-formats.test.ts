import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importDataset, importInputSchema, pseudonym } from "@/lib/datasets/import";
import { fixture, tempFiles } from "./helpers";

const tmp = tempFiles();

describe("importDataset: MovieLens 100K", () => {
  it("reads u.data/u.item/u.user, de-duplicates keeping the latest and encodes ids in first-seen order", async () => {
    const { dataset, report } = await importDataset({
      format: "movielens-100k",
      files: { ratings: fixture("ml-100k", "sample.u.data"), items: fixture("ml-100k", "u.item"), users: fixture("ml-100k", "u.user") },
    });
    expect(report).toMatchObject({ rowsRead: 10, rowsKept: 9, clipped: 0 });
    expect(report.dropped).toEqual({ duplicates: 1, missingIds: 0, outOfRange: 0, belowThreshold: 0, kCore: 0 });
    expect(dataset.userIds).toEqual(["1", "2", "3"]);
    expect(dataset.itemIds).toEqual(["10", "20", "30", "40"]);
    expect(Array.from(dataset.table.users)).toEqual([0, 0, 1, 2, 2, 0, 1, 2, 1]);
    expect(Array.from(dataset.table.items)).toEqual([0, 1, 0, 2, 0, 2, 3, 3, 1]);
    // (user 2, item 20) was rated 2 then 5 later: the later rating wins.
    expect(Array.from(dataset.table.ratings)).toEqual([5, 3, 4, 1, 5, 4, 3, 2, 5]);
    expect(dataset.table.timestamps[8]).toBe(881251010);
    expect(dataset).toMatchObject({ numUsers: 3, numItems: 4, feedback: "explicit", hasTimestamps: true });
    // u.item is latin-1; the never-rated item 99 is not kept; the "unknown" flag means no genre.
    expect(dataset.items?.title).toEqual(["Toy Story (1995)", "Cité des enfants perdus, La (1995)", "unknown", "Heat (1995)"]);
    expect(dataset.items?.genres).toEqual([["Animation", "Children's", "Comedy"], ["Drama", "Sci-Fi"], [], ["Action", "Crime", "Thriller"]]);
    expect(dataset.users).toEqual({
      age: ["24", "53", "17"],
      ageBand: ["18-24", "50-55", "Under 18"],
      gender: ["M", "F", "M"],
      occupation: ["technician", "other", "student"],
      zip: ["85711", "94043", "32067"],
    });
    expect(report.notes).toContain("user attribute 'zip' can identify people (personal data)");
  });

  it("pseudonymises user ids with a salted HMAC and removes the zip code", async () => {
    const { dataset, report } = await importDataset({
      format: "movielens-100k",
      files: { ratings: fixture("ml-100k", "sample.u.data"), users: fixture("ml-100k", "u.user") },
      pseudonymiseUsers: { salt: "pepper" },
    });
    expect(dataset.userIds).toEqual(["1", "2", "3"].map((id) => pseudonym(id, "pepper")));
    expect(dataset.userIds[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(pseudonym("1", "pepper")).not.toBe(pseudonym("1", "salt"));
    expect(Object.keys(dataset.users ?? {})).toEqual(["age", "ageBand", "gender", "occupation"]);
    expect(report.notes).toContain("user attribute 'zip' was removed: it can identify people and users are pseudonymised");
  });

  it("reads a gzipped u.data the same as the plain file", async () => {
    const gz = tmp.gzip("u.data.gz", readFileSync(fixture("ml-100k", "sample.u.data")));
    const plain = await importDataset({ format: "movielens-100k", files: { ratings: fixture("ml-100k", "sample.u.data") } });
    const zipped = await importDataset({ format: "movielens-100k", files: { ratings: gz } });
    expect(zipped.dataset.table).toEqual(plain.dataset.table);
  });
});

describe("importDataset: MovieLens 1M (.dat)", () => {
  it("reads '::' separated ratings, movies and users, decoding age and occupation codes", async () => {
    const { dataset } = await importDataset({
      format: "movielens-dat",
      files: { ratings: fixture("ml-1m", "sample-ratings.dat"), items: fixture("ml-1m", "sample-movies.dat"), users: fixture("ml-1m", "users.dat") },
    });
    expect(dataset.itemIds).toEqual(["1193", "661", "3408"]);
    expect(Array.from(dataset.table.ratings)).toEqual([5, 3, 4, 4, 2, 5]);
    expect(dataset.items?.title?.[0]).toBe("One Flew Over the Cuckoo's Nest (1975)");
    expect(dataset.items?.genres?.[1]).toEqual(["Animation", "Children's", "Musical"]);
    expect(dataset.users?.ageBand).toEqual(["Under 18", "56+", "25-34"]);
    expect(dataset.users?.occupation).toEqual(["K-12 student", "self-employed", "scientist"]);
    expect(dataset.users?.gender).toEqual(["F", "M", "M"]);
  });
});

describe("importDataset: MovieLens latest", () => {
  it("reads ratings.csv with half-star ratings and movies.csv with quoted titles", async () => {
    const { dataset } = await importDataset({
      format: "movielens-latest",
      files: { ratings: fixture("ml-latest", "sample-ratings.csv"), items: fixture("ml-latest", "movies.csv") },
    });
    expect(dataset.itemIds).toEqual(["1", "11", "29"]);
    expect(Array.from(dataset.table.ratings)).toEqual([4, 3.5, 5, 2.5, 4.5, 0.5]);
    expect(dataset.items?.title).toEqual([
      "Toy Story (1995)",
      "American President, The (1995)",
      "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
    ]);
    expect(dataset.items?.genres?.[1]).toEqual(["Comedy", "Drama", "Romance"]);
  });

  it("treats '(no genres listed)' as no genres and unescapes doubled quotes", async () => {
    const ratings = tmp.write("r42.csv", "userId,movieId,rating,timestamp\n7,42,3.0,1\n");
    const { dataset } = await importDataset({ format: "movielens-latest", files: { ratings, items: fixture("ml-latest", "movies.csv") } });
    expect(dataset.items?.title).toEqual(['No "Genres" Here (2001)']);
    expect(dataset.items?.genres).toEqual([[]]);
  });
});

describe("importDataset: Amazon reviews", () => {
  const files = { ratings: fixture("amazon", "reviews.jsonl"), items: fixture("amazon", "meta.jsonl") };

  it("reads JSON lines and metadata (categories flattened, description joined)", async () => {
    const { dataset, report } = await importDataset({ format: "amazon", files });
    // A1's first review of B001 is superseded by a later one, so A2 is the first user kept.
    expect(dataset.userIds).toEqual(["A2", "A1", "A3"]);
    expect(dataset.itemIds).toEqual(["B001", "B002", "B003"]);
    expect(report.dropped.duplicates).toBe(1);
    expect(Array.from(dataset.table.ratings)).toEqual([3, 4, 1, 2, 4]);
    expect(dataset.items?.title).toEqual(["Blue Kettle", "Red Mug", null]);
    expect(dataset.items?.genres).toEqual([["Home & Kitchen", "Kettles", "Gifts"], ["Home & Kitchen", "Mugs"], []]);
    // B003 has no metadata: its text falls back to review summaries (none here).
    expect(dataset.items?.text).toEqual(["A blue kettle.", "Holds tea. Dishwasher safe.", null]);
  });

  it("reads a gzipped reviews file and uses review summaries as text without metadata", async () => {
    const gz = tmp.gzip("reviews.jsonl.gz", readFileSync(files.ratings));
    const { dataset } = await importDataset({ format: "amazon", files: { ratings: gz } });
    expect(dataset.table.users.length).toBe(5);
    expect(dataset.items?.text).toEqual(["Loved it Okay Still good", "Nice", null]);
    expect(dataset.items?.title).toEqual([null, null, null]);
  });
});

describe("importDataset: generic CSV", () => {
  it("reads named columns, RFC-4180 quotes and ISO dates (no zone = UTC)", async () => {
    const { dataset, report } = await importDataset({
      format: "csv",
      files: { ratings: fixture("csv", "interactions.csv") },
      csv: { delimiter: "auto", hasHeader: true, columns: { user: "user", item: "item", rating: "score", timestamp: "when" } },
    });
    expect(dataset.itemIds).toEqual(["Book, The", "Pen"]);
    expect(Array.from(dataset.table.timestamps)).toEqual([
      Date.UTC(2021, 2, 4) / 1000,
      Date.UTC(2021, 2, 5, 10) / 1000,
      Date.UTC(2021, 2, 6, 12, 30) / 1000,
      1615000000,
    ]);
    expect(dataset.feedback).toBe("explicit");
    expect(report.notes).toContain("detected delimiter ','");
  });

  it("detects a ';' delimiter and honours ISO zone offsets", async () => {
    const ratings = tmp.write("semi.csv", "u;i;t\nx;y;2021-03-04T12:00:00+02:00\nx;z;2021-03-04T12:00:00-0130\n");
    const { dataset, report } = await importDataset({
      format: "csv",
      files: { ratings },
      csv: { delimiter: "auto", hasHeader: true, columns: { user: "u", item: "i", timestamp: "t" } },
    });
    expect(Array.from(dataset.table.timestamps)).toEqual([Date.UTC(2021, 2, 4, 10) / 1000, Date.UTC(2021, 2, 4, 13, 30) / 1000]);
    expect(report.notes).toContain("detected delimiter ';'");
  });

  it("reads columns by index without a header; without a rating column the data is implicit", async () => {
    const { dataset } = await importDataset({
      format: "csv",
      files: { ratings: fixture("csv", "no-header.tsv") },
      csv: { delimiter: "\t", hasHeader: false, columns: { user: "0", item: "1" } },
    });
    expect(dataset.feedback).toBe("implicit");
    expect(dataset.hasTimestamps).toBe(false);
    expect(Array.from(dataset.table.ratings)).toEqual([1, 1, 1]);
    expect(Array.from(dataset.table.timestamps)).toEqual([0, 0, 0]);
  });

  it("applies an implicit threshold: ratings >= threshold become 1, others are dropped", async () => {
    const { dataset, report } = await importDataset({
      format: "csv",
      files: { ratings: fixture("csv", "no-header.tsv") },
      csv: { delimiter: "\t", hasHeader: false, columns: { user: "0", item: "1", rating: "2" } },
      preprocess: { implicitThreshold: 1 },
    });
    expect(dataset.feedback).toBe("implicit");
    expect(report.dropped.belowThreshold).toBe(1);
    expect(dataset.itemIds).toEqual(["i1"]);
    expect(dataset.userIds).toEqual(["u1", "u2"]);
  });

  it("drops and counts rows with an empty user id by default", async () => {
    const { report, dataset } = await importDataset({
      format: "csv",
      files: { ratings: fixture("malformed", "missing-user.csv") },
      csv: { delimiter: ",", hasHeader: true, columns: { user: "user", item: "item", rating: "rating" } },
    });
    expect(report.dropped.missingIds).toBe(2);
    expect(report.rowsKept).toBe(5);
    expect(dataset.userIds).toEqual(["a", "b", "c", "d", "e"]);
  });
});

describe("importInputSchema", () => {
  it("fills defaults for the form fields and rejects an unknown format", () => {
    const parsed = importInputSchema.parse({ format: "csv", csv: { columns: { user: "u", item: "i" } }, preprocess: {} });
    expect(parsed.csv).toMatchObject({ delimiter: "auto", hasHeader: true, encoding: "utf-8" });
    expect(parsed.preprocess).toMatchObject({ dedupe: "keep-latest", dropMissingIds: true });
    expect(importInputSchema.safeParse({ format: "parquet" }).success).toBe(false);
    expect(importInputSchema.shape.format.description).toMatch(/MovieLens/);
  });
});
