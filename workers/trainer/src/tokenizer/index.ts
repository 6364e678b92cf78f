// Byte-level BPE tokenizer trained from the pool's captions; saved with checkpoints.
export { trainBpe, type TrainBpeOptions } from './bpe-train.js';
export {
  Tokenizer,
  PAD_ID,
  SOT_ID,
  EOT_ID,
  BYTE_OFFSET,
  FIRST_MERGE_ID,
  TOKENIZER_FORMAT,
  type TokenizerJson,
} from './tokenizer.js';
export { normalizeText, pretokenize } from './pretokenize.js';
