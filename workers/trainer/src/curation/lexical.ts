// MetaCLIP-style lexical matching: a caption hits an entry when it names the entry or one of its
// synonyms. Used as CiT's cold-start scorer (METHODS.md §1, cold start 2). A multi-word form
// matches when all its words occur close together in any order ("circle in red", "the circle is
// red" name `red circle` as much as "red circle" does); words far apart do not ("red carpet …
// circle of friends").

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

/** Words a form's words may be spread over beyond their own count. */
export const FORM_SLACK = 3;

interface Form {
  words: string[];
  entry: number;
}

/** Whether all of the form's words occur within a span of `words.length + slack` caption words. */
function occursClose(form: readonly string[], positions: Map<string, number[]>): boolean {
  const span = form.length + FORM_SLACK;
  const [first, ...rest] = form.map((w) => positions.get(w) as number[]);
  return (first as number[]).some((p) =>
    rest.every((list) => list.some((q) => Math.abs(q - p) < span)),
  );
}

/** Build a matcher over entries (each a list of surface forms: the name and its synonyms). */
export function createLexicalMatcher(entries: readonly (readonly string[])[]): LexicalMatcher {
  const forms: Form[] = [];
  entries.forEach((surface, entry) => {
    for (const form of surface) {
      const ws = [...new Set(words(form))];
      if (ws.length > 0) forms.push({ words: ws, entry });
    }
  });
  return {
    match(caption: string): number {
      const positions = new Map<string, number[]>();
      words(caption).forEach((w, i) => positions.set(w, [...(positions.get(w) ?? []), i]));
      for (const form of forms) {
        if (form.words.every((w) => positions.has(w)) && occursClose(form.words, positions))
          return form.entry;
      }
      return -1;
    },
  };
}
