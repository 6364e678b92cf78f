// A tiny software rasteriser over raw RGB buffers: fills, gradients, noise and anti-aliased
// shapes (2×2 supersampling). Everything is deterministic integer/float arithmetic.
import type { Rng } from '@curio/random';

export type Rgb = readonly [number, number, number];

export class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3);
  }

  fill(c: Rgb): void {
    for (let i = 0; i < this.data.length; i += 3) {
      this.data[i] = c[0];
      this.data[i + 1] = c[1];
      this.data[i + 2] = c[2];
    }
  }

  /** Blend colour c into pixel (x, y) with weight a in [0, 1]. */
  blend(x: number, y: number, c: Rgb, a: number): void {
    const i = (y * this.width + x) * 3;
    const d = this.data;
    d[i] = Math.round(d[i]! + (c[0] - d[i]!) * a);
    d[i + 1] = Math.round(d[i + 1]! + (c[1] - d[i + 1]!) * a);
    d[i + 2] = Math.round(d[i + 2]! + (c[2] - d[i + 2]!) * a);
  }

  /** Linear gradient from a to b along the direction `angle` (radians). */
  gradient(a: Rgb, b: Rgb, angle: number): void {
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    const span = Math.abs(dx) * this.width + Math.abs(dy) * this.height;
    const base = Math.min(0, dx * this.width) + Math.min(0, dy * this.height);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const t = (x * dx + y * dy - base) / span;
        const i = (y * this.width + x) * 3;
        for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(a[k]! + (b[k]! - a[k]!) * t);
      }
    }
  }

  /** Add uniform noise of ±amplitude to every channel. */
  noise(rng: Rng, amplitude: number): void {
    for (let i = 0; i < this.data.length; i++) {
      this.data[i] = clampByte(this.data[i]! + (rng.next() * 2 - 1) * amplitude);
    }
  }

  /**
   * Paint colour c wherever `inside(u, v)` holds, where (u, v) is the pixel-sample position
   * relative to (cx, cy), divided by r and rotated by -angle. Covers the box of radius r·reach.
   */
  paintShape(
    cx: number,
    cy: number,
    r: number,
    angle: number,
    c: Rgb,
    inside: (u: number, v: number) => boolean,
    reach = 1.05,
  ): void {
    const cos = Math.cos(-angle);
    const sin = Math.sin(-angle);
    const x0 = Math.max(0, Math.floor(cx - r * reach));
    const x1 = Math.min(this.width - 1, Math.ceil(cx + r * reach));
    const y0 = Math.max(0, Math.floor(cy - r * reach));
    const y1 = Math.min(this.height - 1, Math.ceil(cy + r * reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let hits = 0;
        for (let s = 0; s < 4; s++) {
          const px = (x + 0.25 + 0.5 * (s & 1) - cx) / r;
          const py = (y + 0.25 + 0.5 * (s >> 1) - cy) / r;
          if (inside(px * cos - py * sin, px * sin + py * cos)) hits++;
        }
        if (hits > 0) this.blend(x, y, c, hits / 4);
      }
    }
  }
}

export function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A colour with each channel moved by up to ±jitter. */
export function jitterColour(rng: Rng, c: Rgb, jitter: number): Rgb {
  return [
    clampByte(c[0] + rng.uniform(-jitter, jitter)),
    clampByte(c[1] + rng.uniform(-jitter, jitter)),
    clampByte(c[2] + rng.uniform(-jitter, jitter)),
  ];
}

/** Point-in-polygon (even-odd) for a polygon given as flat [x0, y0, x1, y1, ...]. */
export function insidePolygon(poly: readonly number[], u: number, v: number): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i]!;
    const yi = poly[2 * i + 1]!;
    const xj = poly[2 * j]!;
    const yj = poly[2 * j + 1]!;
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A regular polygon (or star when inner < 1) with `points` outer vertices, first vertex up. */
export function regularPolygon(points: number, inner = 1): number[] {
  const out: number[] = [];
  const steps = inner < 1 ? points * 2 : points;
  for (let k = 0; k < steps; k++) {
    const a = -Math.PI / 2 + (k * 2 * Math.PI) / steps;
    const rad = inner < 1 && k % 2 === 1 ? inner : 1;
    out.push(rad * Math.cos(a), rad * Math.sin(a));
  }
  return out;
}
