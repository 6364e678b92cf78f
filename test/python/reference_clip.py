"""A small reference CLIP in PyTorch that loads a `curio-train export` folder.

It reads `open_clip_config.json` and `model.safetensors` (parsed by hand: an 8-byte little-endian
header length, a JSON header of dtype/shape/data_offsets, then the raw little-endian data; the
`safetensors` package is not needed) and runs the same forward as Curio's towers:

- image: conv1 patch embedding (no bias), class token (or none with pool_type "avg"),
  positional embedding, ln_pre unless no_ln_pre, pre-LN residual blocks
  (nn.MultiheadAttention's packed in_proj layout, QuickGELU MLP), pooling, ln_post, @ proj;
- text: token + positional embedding, the same blocks with attention that masks padding
  (pad_id) instead of a causal mask, pooling over real tokens ("mean") or the last real token
  ("eot"), ln_final, @ text_projection.

Usage: reference_clip.py EXPORT_DIR INPUT_JSON OUTPUT_JSON, where INPUT_JSON holds
{"images": [[H·W·3 uint8 RGB values, row-major HWC]...], "tokens": [[ids]...]} and OUTPUT_JSON gets
{"image": [[...]], "text": [[...]], "logit_scale": s, "keys": n}: L2-normalised embeddings.
"""

import json
import math
import struct
import sys
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError as err:  # the test reports this line as its failure
    sys.exit(f"reference_clip.py: cannot import torch ({err}); install python3-torch")

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I32": torch.int32}


def load_safetensors(path):
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.empty(0)
        tensors[name] = t.reshape(entry["shape"]).float()
    return tensors


class Weights:
    """The state dict; every tensor must be read once (an unread one is an export error)."""

    def __init__(self, tensors):
        self.tensors = tensors
        self.used = set()

    def __call__(self, name):
        if name not in self.tensors:
            raise KeyError(f"model.safetensors has no {name}")
        self.used.add(name)
        return self.tensors[name]

    def unused(self):
        return sorted(set(self.tensors) - self.used)


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def attention(x, w, prefix, heads, key_padding):
    """x [B, L, W]; key_padding [B, L] True where padding (or None)."""
    b, l, width = x.shape
    qkv = F.linear(x, w(f"{prefix}.in_proj_weight"), w(f"{prefix}.in_proj_bias"))
    q, k, v = qkv.split(width, dim=-1)
    split = lambda t: t.reshape(b, l, heads, width // heads).transpose(1, 2)  # noqa: E731
    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(-1, -2) / math.sqrt(width // heads)
    if key_padding is not None:
        scores = scores.masked_fill(key_padding[:, None, None, :], float("-inf"))
    out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, l, width)
    return F.linear(out, w(f"{prefix}.out_proj.weight"), w(f"{prefix}.out_proj.bias"))


def layer_norm(x, w, prefix, eps):
    return F.layer_norm(x, x.shape[-1:], w(f"{prefix}.weight"), w(f"{prefix}.bias"), eps)


def transformer(x, w, prefix, layers, heads, eps, key_padding=None):
    for i in range(layers):
        p = f"{prefix}resblocks.{i}"
        x = x + attention(layer_norm(x, w, f"{p}.ln_1", eps), w, f"{p}.attn", heads, key_padding)
        h = layer_norm(x, w, f"{p}.ln_2", eps)
        h = F.linear(h, w(f"{p}.mlp.c_fc.weight"), w(f"{p}.mlp.c_fc.bias"))
        h = quick_gelu(h)
        x = x + F.linear(h, w(f"{p}.mlp.c_proj.weight"), w(f"{p}.mlp.c_proj.bias"))
    return x


def encode_image(pixels, w, cfg, eps):
    """pixels: normalised [B, 3, H, W]."""
    v = cfg["vision_cfg"]
    x = F.conv2d(pixels, w("visual.conv1.weight"), stride=v["patch_size"])  # [B, W, g, g]
    x = x.flatten(2).transpose(1, 2)  # [B, g·g, W]
    if v.get("class_token", True):
        cls = w("visual.class_embedding").expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1)
    x = x + w("visual.positional_embedding")
    if not v.get("no_ln_pre", False):
        x = layer_norm(x, w, "visual.ln_pre", eps)
    heads = v["width"] // v["head_width"]
    x = transformer(x, w, "visual.transformer.", v["layers"], heads, eps)
    pooled = x[:, 0] if v["pool_type"] == "tok" else x.mean(dim=1)
    return layer_norm(pooled, w, "visual.ln_post", eps) @ w("visual.proj")


def encode_text(tokens, w, cfg, eps):
    """tokens: int64 [B, L], right-padded with pad_id."""
    t = cfg["text_cfg"]
    real = tokens != t["pad_id"]
    length = tokens.shape[1]
    x = w("token_embedding.weight")[tokens] + w("positional_embedding")[:length]
    x = transformer(x, w, "transformer.", t["layers"], t["heads"], eps, key_padding=~real)
    if t["pool_type"] == "mean":
        weights = real.float() / real.float().sum(1, keepdim=True)
    elif t["pool_type"] == "eot":
        last = (real.long() * torch.arange(length)).argmax(1)
        weights = F.one_hot(last, length).float()
    else:
        raise ValueError(f"text pool_type {t['pool_type']} is not one this reference knows")
    pooled = (x * weights[:, :, None]).sum(1)
    return layer_norm(pooled, w, "ln_final", eps) @ w("text_projection")


def main(export_dir, input_path, output_path):
    export = Path(export_dir)
    config = json.loads((export / "open_clip_config.json").read_text())
    cfg = config["model_cfg"]
    eps = config.get("curio", {}).get("layer_norm_eps", 1e-5)
    pre = config["preprocess_cfg"]
    w = Weights(load_safetensors(export / "model.safetensors"))
    inputs = json.loads(Path(input_path).read_text())
    size = pre["size"]
    mean = torch.tensor(pre["mean"]).reshape(1, 3, 1, 1)
    std = torch.tensor(pre["std"]).reshape(1, 3, 1, 1)
    rgb = torch.tensor(inputs["images"], dtype=torch.float32).reshape(-1, size, size, 3)
    pixels = (rgb.permute(0, 3, 1, 2) / 255.0 - mean) / std
    tokens = torch.tensor(inputs["tokens"], dtype=torch.int64)
    with torch.no_grad():
        image = F.normalize(encode_image(pixels, w, cfg, eps), dim=-1)
        text = F.normalize(encode_text(tokens, w, cfg, eps), dim=-1)
        scale = w("logit_scale").exp().item()
    if w.unused():
        sys.exit(f"reference_clip.py: tensors the model never used: {', '.join(w.unused())}")
    Path(output_path).write_text(
        json.dumps(
            {
                "image": image.tolist(),
                "text": text.tolist(),
                "logit_scale": scale,
                "keys": len(w.tensors),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: reference_clip.py EXPORT_DIR INPUT_JSON OUTPUT_JSON")
    main(*sys.argv[1:])
