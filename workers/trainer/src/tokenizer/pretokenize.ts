// Text normalisation and pre-tokenisation shared by BPE training and encoding: NFKC, lower case,
// one space between words; then chunks of letters, digits or punctuation, each carrying the space
// before it (GPT-2 style), so joining the chunks gives back the normalised text exactly.

/** What normalisation turns into one space (also written into exported tokenizer.json files). */
export const whitespacePattern = String.raw`[\p{Cc}\p{Zl}\p{Zp}\s]+`;
/** One BPE chunk (also written into exported tokenizer.json files). */
export const chunkPattern = String.raw` ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+`;

const WHITESPACE = new RegExp(whitespacePattern, 'gu');
const CHUNK = new RegExp(chunkPattern, 'gu');

/** NFKC, lower case, control characters and runs of whitespace → one space, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(WHITESPACE, ' ').trim();
}

/** Split normalised text into BPE chunks ("a red  Circle!" → ["a", " red", " circle", "!"]). */
export function pretokenize(normalized: string): string[] {
  return normalized.match(CHUNK) ?? [];
}
