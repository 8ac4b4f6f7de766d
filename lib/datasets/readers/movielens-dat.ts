import { readInteractionFile } from "./interactions";
import { ageBand } from "./movielens-common";
import { textLimits, toRawImport, type FormatReader } from "./reader";
import { ItemInfoBuilder, readSideFile, splitGenres, UserInfoBuilder } from "./side-info";

/** MovieLens 1M occupation codes (users.dat), from the 1M README. */
export const ML1M_OCCUPATIONS = [
  "other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
  "doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer",
  "retired", "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
  "unemployed", "writer",
];

/**
 * MovieLens 1M/10M: ratings.dat `user::item::rating::timestamp`, optional movies.dat
 * `id::title::Genre1|Genre2` and users.dat `id::gender::age::occupation::zip` (latin-1).
 * Age codes become bands ("25-34") and occupation codes names.
 */
export const readMovielensDat: FormatReader = async (files, ctx) => {
  const base = { separator: "::", quoted: false, encoding: "latin1", ...textLimits(ctx) } as const;
  const ratings = await readInteractionFile(
    files.ratings,
    { ...base, hasHeader: false, columns: { user: "0", item: "1", rating: "2", timestamp: "3" }, fieldCount: 4, isoTimestamps: false },
    ctx,
  );
  let items: ItemInfoBuilder | null = null;
  if (files.items) {
    const builder = (items = new ItemInfoBuilder(ratings.rows.itemIds.keys.length));
    await readSideFile("movies.dat", files.items, { ...base, fieldCount: 3 }, ratings.rows.itemIds, (i, f) => {
      builder.set(i, { title: f[1].trim() || null, genres: splitGenres(f[2]) });
    });
  }
  let users: UserInfoBuilder | null = null;
  if (files.users) {
    const builder = (users = new UserInfoBuilder(ratings.rows.userIds.keys.length, ["ageBand", "gender", "occupation", "zip"]));
    await readSideFile("users.dat", files.users, { ...base, fieldCount: 5 }, ratings.rows.userIds, (u, f) => {
      const code = f[3].trim();
      const occupation = /^\d+$/.test(code) ? (ML1M_OCCUPATIONS[Number(code)] ?? code) : code;
      builder.set(u, { gender: f[1], ageBand: ageBand(f[2]), occupation, zip: f[4] });
    });
  }
  return toRawImport(ratings, items, users);
};
