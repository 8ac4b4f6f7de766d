import { readInteractionFile } from "./interactions";
import { textLimits, toRawImport, type FormatReader } from "./reader";
import { ItemInfoBuilder, readSideFile, splitGenres } from "./side-info";

/**
 * MovieLens latest / 20M / 25M: ratings.csv (header userId,movieId,rating,timestamp) and an
 * optional movies.csv (movieId,title,genres; RFC-4180 quoting; UTF-8).
 */
export const readMovielensLatest: FormatReader = async (files, ctx) => {
  const base = { separator: ",", quoted: true, encoding: "utf-8", ...textLimits(ctx) } as const;
  const ratings = await readInteractionFile(
    files.ratings,
    {
      ...base,
      hasHeader: true,
      columns: { user: "userId", item: "movieId", rating: "rating", timestamp: "timestamp" },
      isoTimestamps: false,
    },
    ctx,
  );
  let items: ItemInfoBuilder | null = null;
  if (files.items) {
    const builder = (items = new ItemInfoBuilder(ratings.rows.itemIds.keys.length));
    const options = { ...base, fieldCount: 3, hasHeader: true };
    await readSideFile("movies.csv", files.items, options, ratings.rows.itemIds, (i, f) => {
      builder.set(i, { title: f[1].trim() || null, genres: splitGenres(f[2]) });
    });
  }
  if (files.users) return toRawImport(ratings, items, null, ["MovieLens latest has no users file; it was ignored"]);
  return toRawImport(ratings, items, null);
};
