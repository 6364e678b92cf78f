// Inside tests for the catalog's shapes, in unit coordinates (the shape fits the unit disc).
import { insidePolygon, regularPolygon } from './raster.js';

const TRIANGLE = (() => {
  // An equilateral triangle, centred on its centroid's bounding box so it fills the disc evenly.
  const p = regularPolygon(3);
  return p.map((v, i) => (i % 2 === 1 ? v + 0.25 : v));
})();
const STAR = regularPolygon(5, 0.45);
const DIAMOND = [0, -1, 0.65, 0, 0, 1, -0.65, 0];
const HEXAGON = regularPolygon(6);

export type InsideTest = (u: number, v: number) => boolean;

export const SHAPE_TESTS: Record<string, InsideTest> = {
  circle: (u, v) => u * u + v * v <= 1,
  square: (u, v) => Math.abs(u) <= 0.78 && Math.abs(v) <= 0.78,
  triangle: (u, v) => insidePolygon(TRIANGLE, u, v),
  star: (u, v) => insidePolygon(STAR, u, v),
  cross: (u, v) =>
    (Math.abs(u) <= 0.3 && Math.abs(v) <= 0.95) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 0.95),
  ring: (u, v) => {
    const d = u * u + v * v;
    return d <= 1 && d >= 0.36;
  },
  diamond: (u, v) => insidePolygon(DIAMOND, u, v),
  hexagon: (u, v) => insidePolygon(HEXAGON, u, v),
};

/** Shapes are drawn upright: a tilt would blur the edge cues a small patch model sees first. */
export function maxTilt(_shape: string): number {
  return 0;
}

export function shapeTest(shape: string): InsideTest {
  const test = SHAPE_TESTS[shape];
  if (!test) throw new Error(`no renderer for shape "${shape}"`);
  return test;
}
