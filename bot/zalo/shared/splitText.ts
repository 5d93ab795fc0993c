/**
 * Zalo caps a text message at 2,000 characters (Bot Platform: documented; OA: same limit assumed).
 * Long replies are cut at line boundaries so a list item is never split across two messages; a
 * single line longer than the cap is cut at a space, or hard when it has none.
 */
export const ZALO_TEXT_LIMIT = 2000;

export function splitText(text: string, max = ZALO_TEXT_LIMIT - 50): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.replace(/\s+$/, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    for (const piece of cutLongLine(line, max)) {
      const next = current ? `${current}\n${piece}` : piece;
      if (next.length > max) {
        flush();
        current = piece;
      } else {
        current = next;
      }
    }
  }
  flush();
  return parts.length ? parts : [];
}

function cutLongLine(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > max / 2 ? space : max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}
