/** A small deterministic generator, so two demo runs of the same size look alike. */
export function randomSource(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** True with probability p. */
    chance: (p: number) => next() < p,
  };
}

export type Random = ReturnType<typeof randomSource>;

/** An item drawn from `[item, weight]` pairs, in proportion to the weights. */
export function weightedPicker<T>(pairs: readonly (readonly [T, number])[]): (rnd: Random) => T {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  return (rnd) => {
    let left = rnd.next() * total;
    for (const [item, w] of pairs) {
      left -= w;
      if (left < 0) return item;
    }
    return pairs[pairs.length - 1][0];
  };
}
