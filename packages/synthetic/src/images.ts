// Raw RGB images for the synthetic pool: on-target images (a class's shape in its colour, with
// position, size, tilt and background varied) and off-target images from other visual domains
// (gradients, stripes, checkers, smooth blobs, landscapes, pixel noise, document-like lines).
import type { Rng } from '@curio/random';
import type { ShapeTraits } from './captions.js';
import type { SyntheticClass } from './catalog.js';
import { Canvas, jitterColour, type Rgb } from './raster.js';
import { maxTilt, shapeTest } from './shapes.js';

function mutedColour(rng: Rng): { rgb: Rgb; word: string } {
  const r = rng.next();
  if (r < 0.55) {
    const g = rng.uniform(185, 250);
    return {
      rgb: jitterColour(rng, [g, g, g - rng.uniform(0, 25)], 10),
      word: rng.pick(['white', 'light grey', 'beige', 'light']),
    };
  }
  if (r < 0.8) {
    const g = rng.uniform(15, 75);
    return {
      rgb: jitterColour(rng, [g, g, g], 10),
      word: rng.pick(['black', 'dark', 'dark grey', 'charcoal']),
    };
  }
  const g = rng.uniform(110, 160);
  return {
    rgb: jitterColour(rng, [g, g, g], 15),
    word: rng.pick(['grey', 'neutral', 'stone', 'muted']),
  };
}

function positionWord(cx: number, cy: number, size: number): string {
  const col = cx < size / 3 ? 'left' : cx > (2 * size) / 3 ? 'right' : '';
  const row = cy < size / 3 ? 'top' : cy > (2 * size) / 3 ? 'bottom' : '';
  if (!row && !col) return 'centre';
  return [row, col].filter(Boolean).join(' ');
}

/** Draw an instance of `cls` on a varied background. */
export function renderOnTarget(
  rng: Rng,
  cls: SyntheticClass,
  size: number,
): { rgb: Uint8Array; traits: ShapeTraits } {
  const canvas = new Canvas(size, size);
  const bg = mutedColour(rng);
  const style = rng.next();
  let background = bg.word;
  if (style < 0.25) {
    const other = mutedColour(rng);
    canvas.gradient(bg.rgb, other.rgb, rng.uniform(0, 2 * Math.PI));
    background = 'gradient';
  } else {
    canvas.fill(bg.rgb);
  }
  if (style > 0.8) {
    canvas.noise(rng, 18);
    background = rng.pick(['textured', 'paper', 'grainy']);
  }
  const radius = rng.uniform(0.28, 0.42) * size;
  const cx = rng.uniform(radius * 0.9, size - radius * 0.9);
  const cy = rng.uniform(radius * 0.9, size - radius * 0.9);
  const tilt = maxTilt(cls.shape.name);
  const angle = tilt > 0 ? rng.uniform(-tilt, tilt) : 0;
  canvas.paintShape(
    cx,
    cy,
    radius,
    angle,
    jitterColour(rng, cls.colour.rgb, 22),
    shapeTest(cls.shape.name),
  );
  if (rng.next() < 0.3) canvas.noise(rng, 6);
  const sizeClass = radius < 0.32 * size ? 'small' : radius > 0.38 * size ? 'large' : 'medium';
  return {
    rgb: canvas.data,
    traits: { size: sizeClass, position: positionWord(cx, cy, size), background },
  };
}

function anyColour(rng: Rng): Rgb {
  return [rng.int(256), rng.int(256), rng.int(256)];
}

type Painter = (rng: Rng, canvas: Canvas) => void;

const OFF_TARGET_PAINTERS: Painter[] = [
  // Linear gradient between two random colours.
  (rng, c) => c.gradient(anyColour(rng), anyColour(rng), rng.uniform(0, 2 * Math.PI)),
  // Stripes at a random angle and period.
  (rng, c) => {
    const a = anyColour(rng);
    const b = anyColour(rng);
    const angle = rng.uniform(0, Math.PI);
    const period = rng.uniform(3, 12);
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const on = Math.floor((x * dx + y * dy) / period) % 2 === 0;
        c.blend(x, y, on ? a : b, 1);
      }
    }
  },
  // Checkerboard.
  (rng, c) => {
    const a = anyColour(rng);
    const b = anyColour(rng);
    const cell = 2 + rng.int(10);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++)
        c.blend(x, y, (Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? a : b, 1);
    }
  },
  // Smooth colour blobs: a coarse random grid, bilinearly upsampled.
  (rng, c) => {
    const g = 3 + rng.int(4);
    const grid = Array.from({ length: (g + 1) * (g + 1) }, () => anyColour(rng));
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const gx = (x / c.width) * g;
        const gy = (y / c.height) * g;
        const x0 = Math.floor(gx);
        const y0 = Math.floor(gy);
        const fx = gx - x0;
        const fy = gy - y0;
        const at = (i: number, j: number): Rgb => grid[j * (g + 1) + i] as Rgb;
        const px: number[] = [0, 1, 2].map(
          (k) =>
            at(x0, y0)[k]! * (1 - fx) * (1 - fy) +
            at(x0 + 1, y0)[k]! * fx * (1 - fy) +
            at(x0, y0 + 1)[k]! * (1 - fx) * fy +
            at(x0 + 1, y0 + 1)[k]! * fx * fy,
        );
        c.blend(x, y, [px[0]!, px[1]!, px[2]!], 1);
      }
    }
  },
  // Landscape: sky gradient over a ground band with a wavy horizon.
  (rng, c) => {
    const sky: Rgb = jitterColour(rng, [120, 170, 230], 40);
    const ground: Rgb = jitterColour(
      rng,
      rng.pick<Rgb>([
        [70, 120, 50],
        [190, 160, 110],
        [90, 90, 95],
      ]),
      30,
    );
    c.gradient(sky, [240, 240, 250], Math.PI / 2);
    const horizon = rng.uniform(0.45, 0.75) * c.height;
    const amp = rng.uniform(0, 5);
    const freq = rng.uniform(0.05, 0.3);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++)
        if (y > horizon + amp * Math.sin(x * freq)) c.blend(x, y, ground, 1);
    }
    c.noise(rng, 10);
  },
  // Pixel noise around a random colour.
  (rng, c) => {
    c.fill(anyColour(rng));
    c.noise(rng, rng.uniform(30, 120));
  },
  // Document-like: dark text lines on a light page.
  (rng, c) => {
    const page = 220 + rng.int(35);
    c.fill([page, page, page - rng.int(20)]);
    const ink: Rgb = [rng.int(60), rng.int(60), rng.int(60)];
    const lineHeight = 3 + rng.int(4);
    for (let y = 2; y < c.height - 2; y += lineHeight) {
      let x = 2;
      while (x < c.width - 2) {
        const word = 2 + rng.int(7);
        for (let xx = x; xx < Math.min(c.width - 2, x + word); xx++) {
          for (let yy = y; yy < y + Math.max(1, lineHeight - 2); yy++) c.blend(xx, yy, ink, 0.85);
        }
        x += word + 1 + rng.int(2);
      }
    }
  },
];

/** An image from a domain other than the classes' (textures, scenes, noise, documents). */
export function renderOffTarget(rng: Rng, size: number): Uint8Array {
  const canvas = new Canvas(size, size);
  rng.pick(OFF_TARGET_PAINTERS)(rng, canvas);
  return canvas.data;
}
