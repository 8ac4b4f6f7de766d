import type { ItemAttributes, UserAttributes } from "../types";
import { expectFieldCount } from "./fields";
import { forEachRecord, withFileLabel, type RecordOptions } from "./records";
import type { KeyEncoder } from "./row-collector";

/** Collects item side information aligned to the import's item indices (absent: null / []). */
export class ItemInfoBuilder {
  private readonly titles: (string | null)[];
  private readonly genres: string[][];
  private readonly text: (string | null)[];
  private hasText = false;

  constructor(readonly numItems: number) {
    this.titles = new Array<string | null>(numItems).fill(null);
    this.genres = Array.from({ length: numItems }, () => []);
    this.text = new Array<string | null>(numItems).fill(null);
  }

  set(index: number, info: { title?: string | null; genres?: string[]; text?: string | null }): void {
    if (info.title !== undefined) this.titles[index] = info.title;
    if (info.genres !== undefined) this.genres[index] = info.genres;
    if (info.text) {
      this.text[index] = info.text;
      this.hasText = true;
    }
  }

  getText(index: number): string | null {
    return this.text[index];
  }

  build(): ItemAttributes {
    return { title: this.titles, genres: this.genres, ...(this.hasText ? { text: this.text } : {}) };
  }
}

/** Collects named user attributes aligned to the import's user indices (absent: null). */
export class UserInfoBuilder {
  private readonly columns: UserAttributes = {};

  constructor(readonly numUsers: number, readonly names: string[]) {
    for (const name of names) this.columns[name] = new Array<string | null>(numUsers).fill(null);
  }

  set(index: number, values: Record<string, string | null>): void {
    for (const name of this.names) this.columns[name][index] = emptyToNull(values[name]);
  }

  build(): UserAttributes {
    return this.columns;
  }
}

/**
 * Reads a fixed-width side file (u.item, movies.dat, users.dat, ...) under its label, calling
 * `onRecord` only for ids that occur in the ratings (first field is the id).
 */
export async function readSideFile(
  label: string,
  path: string,
  options: RecordOptions & { fieldCount: number; hasHeader?: boolean },
  ids: KeyEncoder,
  onRecord: (index: number, fields: string[], line: number) => void,
): Promise<void> {
  let first = true;
  await withFileLabel(label, () =>
    forEachRecord(path, options, (fields, line, separator) => {
      if (first && options.hasHeader) {
        first = false;
        return;
      }
      first = false;
      expectFieldCount(fields, options.fieldCount, separator, line);
      const index = ids.lookup(fields[0].trim());
      if (index !== undefined) onRecord(index, fields, line);
    }),
  );
}

/** Splits a `|`-separated genre list; "(no genres listed)" means none. */
export function splitGenres(text: string): string[] {
  const out: string[] = [];
  for (const g of text.split("|")) {
    const genre = g.trim();
    if (genre !== "" && genre !== "(no genres listed)" && !out.includes(genre)) out.push(genre);
  }
  return out;
}

function emptyToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const v = value.trim();
  return v === "" ? null : v;
}
