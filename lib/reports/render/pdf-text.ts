/**
 * Text for pdfkit's standard fonts, which encode WinAnsi (Latin-1 plus typographic quotes,
 * dashes, bullet, ellipsis…) only. Characters outside it would print as garbage, so the few
 * the reports use are spelled out ("Δ" → "delta", "−" → "-", "≥" → ">=") and any other is "?".
 */
const SPELLED: Record<string, string> = {
  "Δ": "delta",
  "−": "-",
  "≥": ">=",
  "≤": "<=",
  "≠": "!=",
  "α": "alpha",
  "χ": "chi",
  "λ": "lambda",
  "→": "->",
  "←": "<-",
  "↑": "^",
  "↓": "v",
  "✓": "yes",
  "✗": "no",
  "\u00a0": " ",
};
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

export function pdfText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\n" || (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (SPELLED[ch] !== undefined) out += SPELLED[ch];
    else if (ch === "\t" || ch === "\r") out += " ";
    else out += "?";
  }
  return out;
}
