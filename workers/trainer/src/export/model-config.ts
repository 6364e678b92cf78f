// The model config written next to the weights, shaped like open_clip's `open_clip_config.json`
// (`model_cfg` with `embed_dim`, `vision_cfg`, `text_cfg`; `preprocess_cfg`), with open_clip's
// field names wherever open_clip has the same setting. What open_clip cannot express (text
// attention that masks padding instead of a causal mask, mean or last-real-token text pooling,
// a layer norm after pooling) is spelled out in `text_cfg` and in a `curio` section; see the
// trainer README ("Export") for each difference.
import { CLIP_MEAN, CLIP_STD } from '../data/index.js';
import { attentionWidth, type ModelConfig, type TextPooling } from '../model/index.js';
import { EOT_ID, PAD_ID, SOT_ID } from '../tokenizer/index.js';

export interface ExportedModelConfig {
  model_cfg: {
    embed_dim: number;
    quick_gelu: true;
    vision_cfg: Record<string, unknown>;
    text_cfg: Record<string, unknown>;
  };
  preprocess_cfg: Record<string, unknown>;
  curio: Record<string, unknown>;
}

/**
 * Why open_clip cannot hold this architecture, or undefined. Grown models export when they grew
 * by `addBlocks` or an MLP `widen`; shared blocks, and an attention width (heads × headDim) other
 * than the tower's width (`addHeads`, a residual-width `widen`), token learners and the joint
 * module have no open_clip equivalent.
 */
export function openClipRefusal(config: ModelConfig): string | undefined {
  if (config.joint)
    return `the model has a joint module (${config.joint.tokens} tokens, ${config.joint.stages} stages), which open_clip cannot express`;
  if (config.shared && config.shared.depth > 0)
    return `the model has ${config.shared.depth} shared block(s) (grown by addSharedBlocks), which open_clip cannot express`;
  for (const tower of ['image', 'text'] as const) {
    const t = config[tower];
    if (t.tokenLearner)
      return `the ${tower} tower has a token learner (after block ${t.tokenLearner.at}, ${t.tokenLearner.tokens} tokens), which open_clip cannot express`;
    const a = attentionWidth(t);
    if (a !== t.width)
      return `the ${tower} tower's attention width ${a} (${t.heads} heads × ${a / t.heads}) differs from its width ${t.width} (grown by addHeads or widen), which open_clip's attention cannot express`;
  }
  return undefined;
}

export function openClipConfig(
  config: ModelConfig,
  textPooling: TextPooling,
  source: { run: string; step: number },
): ExportedModelConfig {
  const { image, text } = config;
  return {
    model_cfg: {
      embed_dim: config.embedDim,
      // x·σ(1.702x), open_clip's QuickGELU.
      quick_gelu: true,
      vision_cfg: {
        image_size: image.size,
        patch_size: image.patch,
        width: image.width,
        layers: image.depth,
        head_width: image.width / image.heads,
        mlp_ratio: image.mlpRatio,
        no_ln_pre: true,
        // 'tok': the class token; 'avg': the mean of the patch tokens (Curio then has no class
        // token at all, which open_clip's ViT cannot express).
        pool_type: image.pool === 'cls' ? 'tok' : 'avg',
        final_ln_after_pool: true,
        class_token: image.pool === 'cls',
      },
      text_cfg: {
        context_length: text.context,
        vocab_size: text.vocab,
        width: text.width,
        heads: text.heads,
        layers: text.depth,
        mlp_ratio: text.mlpRatio,
        no_causal_mask: true,
        pad_id: PAD_ID,
        // 'mean': the mean over real (non-padding) tokens; 'eot': the last real token.
        pool_type: textPooling,
        final_ln_after_pool: true,
      },
    },
    preprocess_cfg: {
      size: image.size,
      mean: [...CLIP_MEAN],
      std: [...CLIP_STD],
      interpolation: 'bicubic',
      resize_mode: 'shortest',
    },
    curio: {
      format: 'curio-open-clip-export',
      version: 1,
      name: config.name,
      layer_norm_eps: config.lnEps,
      text_attention: 'padding-mask',
      tokens: { pad: PAD_ID, sot: SOT_ID, eot: EOT_ID },
      run: source.run,
      step: source.step,
    },
  };
}
