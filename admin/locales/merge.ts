/** AdminJS translation trees (actions, buttons, labels, properties, messages, resources…). */
export type TextTree = { [key: string]: string | TextTree };

/** One area's texts in both languages; each page area keeps its own file so they grow apart. */
export interface PanelTexts {
  vi: TextTree;
  en: TextTree;
}

/** Later trees win key by key; nested groups (`labels.status`) are merged, not replaced. */
export function mergeTexts(...trees: TextTree[]): TextTree {
  const out: TextTree = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      const current = out[key];
      out[key] = typeof value === 'object' && typeof current === 'object' ? mergeTexts(current, value) : value;
    }
  }
  return out;
}
