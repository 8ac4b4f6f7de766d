import fs from "node:fs";

/**
 * Puts `body` under the level-2 `heading` of a markdown file: replaces that section (up to the
 * next "## " heading) when it exists, else inserts it before the first "## " section.
 */
export function upsertSection(file: string, heading: string, body: string): void {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const section = [heading, "", ...body.trimEnd().split("\n"), ""];
  const at = lines.indexOf(heading);
  if (at >= 0) {
    let end = at + 1;
    while (end < lines.length && !lines[end].startsWith("## ")) end++;
    lines.splice(at, end - at, ...section);
  } else {
    const first = lines.findIndex((line) => line.startsWith("## "));
    lines.splice(first < 0 ? lines.length : first, 0, ...section);
  }
  fs.writeFileSync(file, lines.join("\n"));
}
