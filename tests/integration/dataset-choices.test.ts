import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { listDatasetChoices, MAX_DATASETS_PAGE } from "@/lib/server/list-datasets";
import { useDatabase } from "./support/api";
import { createTestDatabase, type TestDatabase } from "./support/databases";

const analyst: Principal = { userId: null, email: "analyst@example.test", role: "analyst", teamId: "default", via: "token" };

// The launch forms' dataset menu reads one bounded page, not every dataset of the team.
describe("launch forms' dataset menu", () => {
  let database: TestDatabase;
  const row = (i: number, teamId = "default") => ({
    name: `ds-${i}`,
    source: "test",
    feedback: "implicit",
    numUsers: 1,
    numItems: 1,
    numInteractions: 1,
    stats: "{}",
    preprocessing: "{}",
    teamId,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  });

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    const db = useDatabase(database.handle);
    await db.dataset.createMany({ data: Array.from({ length: MAX_DATASETS_PAGE + 5 }, (_, i) => row(i)) });
    await db.dataset.create({ data: row(9999, "other") });
  }, 60_000);
  afterAll(() => database?.drop());

  it("lists the newest page and says there are more", async () => {
    const { datasets, more } = await listDatasetChoices(analyst);
    expect(datasets).toHaveLength(MAX_DATASETS_PAGE);
    expect(datasets[0].name).toBe(`ds-${MAX_DATASETS_PAGE + 4}`);
    expect(more).toBe(true);
  });

  it("adds an older dataset the form was opened for, but never another team's", async () => {
    const oldest = await database.handle.db.dataset.findFirstOrThrow({ where: { name: "ds-0" } });
    const { datasets } = await listDatasetChoices(analyst, oldest.id);
    expect(datasets).toHaveLength(MAX_DATASETS_PAGE + 1);
    expect(datasets.at(-1)?.id).toBe(oldest.id);
    const theirs = await database.handle.db.dataset.findFirstOrThrow({ where: { teamId: "other" } });
    expect((await listDatasetChoices(analyst, theirs.id)).datasets.some((d) => d.id === theirs.id)).toBe(false);
  });
});
