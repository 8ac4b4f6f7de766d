import { parseError } from "../../errors";
import { clip } from "./fields";
import { readInteractionFile } from "./interactions";
import { ageBand } from "./movielens-common";
import { textLimits, toRawImport, type FormatReader } from "./reader";
import { ItemInfoBuilder, readSideFile, UserInfoBuilder } from "./side-info";

/** u.genre order of the 19 genre flags at the end of each u.item line. */
export const ML100K_GENRES = [
  "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
  "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
];

/**
 * MovieLens 100K: u.data (TAB user item rating timestamp), optional u.item (24 `|` fields,
 * latin-1; the "unknown" flag means no genre) and u.user (user|age|gender|occupation|zip).
 */
export const readMovielens100k: FormatReader = async (files, ctx) => {
  const base = { quoted: false, encoding: "latin1", ...textLimits(ctx) } as const;
  const ratings = await readInteractionFile(
    files.ratings,
    {
      ...base,
      separator: "\t",
      hasHeader: false,
      columns: { user: "0", item: "1", rating: "2", timestamp: "3" },
      fieldCount: 4,
      isoTimestamps: false,
    },
    ctx,
  );
  let items: ItemInfoBuilder | null = null;
  if (files.items) {
    const builder = (items = new ItemInfoBuilder(ratings.rows.itemIds.keys.length));
    await readSideFile("u.item", files.items, { ...base, separator: "|", fieldCount: 24 }, ratings.rows.itemIds, (i, f, line) => {
      const genres: string[] = [];
      for (let g = 0; g < ML100K_GENRES.length; g++) {
        const flag = f[5 + g].trim();
        if (flag !== "0" && flag !== "1") throw parseError(line, `genre flag '${clip(flag)}' is not 0 or 1`, ML100K_GENRES[g]);
        if (flag === "1" && g > 0) genres.push(ML100K_GENRES[g]);
      }
      builder.set(i, { title: f[1].trim() || null, genres });
    });
  }
  let users: UserInfoBuilder | null = null;
  if (files.users) {
    const builder = (users = new UserInfoBuilder(ratings.rows.userIds.keys.length, ["age", "ageBand", "gender", "occupation", "zip"]));
    await readSideFile("u.user", files.users, { ...base, separator: "|", fieldCount: 5 }, ratings.rows.userIds, (u, f) => {
      builder.set(u, { age: f[1], ageBand: ageBand(f[1]), gender: f[2], occupation: f[3], zip: f[4] });
    });
  }
  return toRawImport(ratings, items, users);
};
