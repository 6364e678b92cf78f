// The synthetic task's vocabulary: colours and shapes with the words captions may use for them.
// A class is a (colour, shape) pair named "<colour> <shape>", e.g. "red circle".

export interface ColourDef {
  name: string;
  rgb: readonly [number, number, number];
  /** Other words for the colour that captions may use instead of the name. */
  synonyms: readonly string[];
}

export interface ShapeDef {
  name: string;
  synonyms: readonly string[];
}

export const COLOURS: readonly ColourDef[] = [
  { name: 'red', rgb: [215, 25, 32], synonyms: ['crimson', 'scarlet', 'cherry red'] },
  { name: 'green', rgb: [30, 160, 50], synonyms: ['emerald', 'grass green', 'lime green'] },
  { name: 'blue', rgb: [30, 70, 215], synonyms: ['cobalt', 'royal blue', 'azure'] },
  { name: 'yellow', rgb: [245, 210, 20], synonyms: ['golden', 'lemon yellow', 'sunny yellow'] },
  { name: 'purple', rgb: [130, 40, 170], synonyms: ['violet', 'plum', 'lilac'] },
  { name: 'orange', rgb: [245, 125, 15], synonyms: ['tangerine', 'amber', 'pumpkin orange'] },
  { name: 'pink', rgb: [240, 90, 170], synonyms: ['magenta', 'hot pink', 'rose'] },
  { name: 'cyan', rgb: [20, 200, 210], synonyms: ['turquoise', 'teal', 'aqua'] },
];

export const SHAPES: readonly ShapeDef[] = [
  { name: 'circle', synonyms: ['disc', 'round dot', 'round shape'] },
  { name: 'square', synonyms: ['box', 'block', 'tile'] },
  { name: 'triangle', synonyms: ['triangular shape', 'pyramid shape', 'three-sided shape'] },
  { name: 'star', synonyms: ['five-pointed star', 'star shape', 'starburst'] },
  { name: 'cross', synonyms: ['plus sign', 'plus shape', 'cross mark'] },
  { name: 'ring', synonyms: ['hoop', 'donut shape', 'circular outline'] },
  { name: 'diamond', synonyms: ['rhombus', 'lozenge', 'diamond shape'] },
  { name: 'hexagon', synonyms: ['six-sided shape', 'hex shape', 'honeycomb cell'] },
];

export interface SyntheticClass {
  /** "<colour> <shape>", as written to metadata.txt and classnames.txt. */
  name: string;
  colour: ColourDef;
  shape: ShapeDef;
}

/** Default classes: 4 colours × 3 shapes = 12 (learnable by a tiny ViT at 32×32). */
// Circle, triangle and cross differ in edge orientation inside a 4×4 patch, which a small ViT
// picks up within minutes; circle against square took several times longer to separate.
export const DEFAULT_CLASS_NAMES: readonly string[] = ['red', 'green', 'blue', 'yellow'].flatMap(
  (c) => ['circle', 'triangle', 'cross'].map((s) => `${c} ${s}`),
);

/** Parse class names ("red circle") against the catalog; unknown words are errors naming them. */
export function parseClasses(names: readonly string[]): SyntheticClass[] {
  if (names.length < 2)
    throw new Error(`synthetic data needs at least 2 classes, got ${names.length}`);
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    const [colourName, shapeName, ...rest] = name.split(' ');
    const colour = COLOURS.find((c) => c.name === colourName);
    const shape = SHAPES.find((s) => s.name === shapeName);
    if (!colour || !shape || rest.length > 0) {
      throw new Error(
        `synthetic class "${raw}" must be "<colour> <shape>" with colour one of ` +
          `${COLOURS.map((c) => c.name).join('/')} and shape one of ${SHAPES.map((s) => s.name).join('/')}`,
      );
    }
    if (seen.has(name)) throw new Error(`synthetic class "${raw}" is listed twice`);
    seen.add(name);
    return { name, colour, shape };
  });
}

/** Surface forms of a class besides its name (for metadata synonyms). */
export function classSynonyms(cls: SyntheticClass): string[] {
  const colours = [cls.colour.name, ...cls.colour.synonyms];
  const shapes = [cls.shape.name, ...cls.shape.synonyms];
  return colours.flatMap((c) => shapes.map((s) => `${c} ${s}`)).filter((form) => form !== cls.name);
}
