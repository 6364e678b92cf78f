// MetaCLIP-style lexical matching: a caption hits when it contains a metadata entry or one of its
// synonyms as whole words. Used as CiT's cold-start scorer (METHODS.md §1, cold start 2).

/** Lowercase words, punctuation dropped: the unit both captions and entries are compared in. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

export interface LexicalMatcher {
  /** Index of the first metadata entry the caption mentions, or -1. */
  match(caption: string): number;
}

/** Build a matcher over entries (each a list of surface forms: the name and its synonyms). */
export function createLexicalMatcher(entries: readonly (readonly string[])[]): LexicalMatcher {
  // first word → phrases (as word lists) starting with it, with their entry index.
  const byFirstWord = new Map<string, { phrase: string[]; entry: number }[]>();
  entries.forEach((forms, entry) => {
    for (const form of forms) {
      const phrase = words(form);
      const first = phrase[0];
      if (first === undefined) continue;
      const list = byFirstWord.get(first) ?? [];
      list.push({ phrase, entry });
      byFirstWord.set(first, list);
    }
  });
  return {
    match(caption: string): number {
      const ws = words(caption);
      for (let i = 0; i < ws.length; i++) {
        const candidates = byFirstWord.get(ws[i] as string);
        if (!candidates) continue;
        for (const { phrase, entry } of candidates) {
          if (phrase.every((w, k) => ws[i + k] === w)) return entry;
        }
      }
      return -1;
    },
  };
}
