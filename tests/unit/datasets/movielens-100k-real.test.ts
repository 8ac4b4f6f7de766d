import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importDataset } from "@/lib/datasets/import";
import { computeStats } from "@/lib/datasets/stats";

// MovieLens may not be redistributed: it is read from the shared data folder beside the repo.
const ML100K = path.resolve(import.meta.dirname, "../../../../shared/data/ml-100k");
const present = existsSync(path.join(ML100K, "u.data"));

describe("real MovieLens 100K", () => {
  if (!present) it.skip(`skipped: MovieLens 100K not found at ${ML100K} (see ../shared/data/README.md)`, () => {});

  it.skipIf(!present)("imports 943 users, 1682 items and 100000 ratings with titles, genres and user attributes", async () => {
    const { dataset, report } = await importDataset({
      format: "movielens-100k",
      files: { ratings: path.join(ML100K, "u.data"), items: path.join(ML100K, "u.item"), users: path.join(ML100K, "u.user") },
    });
    expect(dataset).toMatchObject({ numUsers: 943, numItems: 1682, feedback: "explicit", hasTimestamps: true });
    expect(dataset.table.users.length).toBe(100_000);
    expect(report).toMatchObject({ rowsRead: 100_000, rowsKept: 100_000 });
    const toyStory = dataset.itemIds.indexOf("1");
    expect(dataset.items?.title?.[toyStory]).toBe("Toy Story (1995)");
    expect(dataset.items?.genres?.[toyStory]).toEqual(["Animation", "Children's", "Comedy"]);
    expect(dataset.items?.title?.every((t) => t !== null)).toBe(true);
    // latin-1 titles decode to proper characters.
    expect(dataset.items?.title?.some((t) => t?.includes("é"))).toBe(true);
    const user1 = dataset.userIds.indexOf("1");
    expect(dataset.users?.gender?.[user1]).toBe("M");
    expect(dataset.users?.age?.[user1]).toBe("24");
    expect(dataset.users?.occupation?.[user1]).toBe("technician");
    const stats = computeStats(dataset);
    expect(stats.ratingHistogram?.map((b) => b.rating)).toEqual([1, 2, 3, 4, 5]);
    expect(stats.userActivity.min).toBe(20);
    expect(stats.sparsity).toBeCloseTo(1 - 100_000 / (943 * 1682), 10);
  });
});
