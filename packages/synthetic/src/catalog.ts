// The synthetic task's vocabulary: colours and shapes with the words captions may use for them.
// A class is a (colour, shape) pair named "<colour> <shape>", e.g. "red circle".

export interface ColourDef {
  name: string;
  rgb: readonly [number, number, number];
  /** Other words for the colour that captions may use instead of the name. */
  synonyms: readonly string[];
  /** Descriptions that use no word of the name or of any catalog synonym (paraphrased captions). */
  paraphrases: readonly string[];
}

export interface ShapeDef {
  name: string;
  synonyms: readonly string[];
  /** Descriptions that use no word of the name or of any catalog synonym (paraphrased captions). */
  paraphrases: readonly string[];
}

export const COLOURS: readonly ColourDef[] = [
  {
    name: 'red',
    rgb: [215, 25, 32],
    synonyms: ['crimson', 'scarlet', 'cherry red'],
    paraphrases: [
      'tomato-coloured',
      'coloured like a fire truck',
      'ruby-toned',
      'the colour of ripe strawberries',
    ],
  },
  {
    name: 'green',
    rgb: [30, 160, 50],
    synonyms: ['emerald', 'grass green', 'lime green'],
    paraphrases: [
      'leaf-coloured',
      'the colour of fresh leaves',
      'jade-toned',
      'coloured like a frog',
    ],
  },
  {
    name: 'blue',
    rgb: [30, 70, 215],
    synonyms: ['cobalt', 'royal blue', 'azure'],
    paraphrases: [
      'sky-coloured',
      'the colour of a clear sky',
      'sapphire-toned',
      'coloured like deep sea water',
    ],
  },
  {
    name: 'yellow',
    rgb: [245, 210, 20],
    synonyms: ['golden', 'lemon yellow', 'sunny yellow'],
    paraphrases: [
      'banana-coloured',
      'the colour of a buttercup',
      'canary-toned',
      'coloured like egg yolk',
    ],
  },
  {
    name: 'purple',
    rgb: [130, 40, 170],
    synonyms: ['violet', 'plum', 'lilac'],
    paraphrases: [
      'grape-coloured',
      'the colour of lavender',
      'aubergine-toned',
      'coloured like amethyst',
    ],
  },
  {
    name: 'orange',
    rgb: [245, 125, 15],
    synonyms: ['tangerine', 'amber', 'pumpkin orange'],
    paraphrases: [
      'carrot-coloured',
      'the colour of a traffic cone',
      'apricot-toned',
      'coloured like marigolds',
    ],
  },
  {
    name: 'pink',
    rgb: [240, 90, 170],
    synonyms: ['magenta', 'hot pink', 'rose'],
    paraphrases: [
      'bubblegum-coloured',
      'the colour of a flamingo',
      'blush-toned',
      'coloured like cotton candy',
    ],
  },
  {
    name: 'cyan',
    rgb: [20, 200, 210],
    synonyms: ['turquoise', 'teal', 'aqua'],
    paraphrases: [
      'lagoon-coloured',
      'the colour of a glacier lake',
      'peacock-toned',
      'coloured like tropical water',
    ],
  },
];

export const SHAPES: readonly ShapeDef[] = [
  {
    name: 'circle',
    synonyms: ['disc', 'round dot', 'round shape'],
    paraphrases: [
      'figure with no corners',
      'coin-like figure',
      'figure like a full moon',
      'perfectly curved figure',
    ],
  },
  {
    name: 'square',
    synonyms: ['box', 'block', 'tile'],
    paraphrases: [
      'figure with four equal sides',
      'checkerboard-field figure',
      'figure like a dice face',
      'four-cornered figure with equal sides',
    ],
  },
  {
    name: 'triangle',
    synonyms: ['triangular shape', 'pyramid shape', 'three-sided shape'],
    paraphrases: [
      'wedge-like figure',
      'figure like a slice of pizza',
      'figure with a sharp top and a flat base',
      'figure like a warning road marker',
    ],
  },
  {
    name: 'star',
    synonyms: ['five-pointed star', 'star shape', 'starburst'],
    paraphrases: [
      'figure like a sheriff badge',
      'spiky figure with many arms',
      'figure like a starfish',
      'twinkle-like figure',
    ],
  },
  {
    name: 'cross',
    synonyms: ['plus sign', 'plus shape', 'cross mark'],
    paraphrases: [
      'figure of two bars meeting at right angles',
      'figure like a first-aid emblem',
      'addition-symbol figure',
      'figure like the swiss flag emblem',
    ],
  },
  {
    name: 'ring',
    synonyms: ['hoop', 'donut shape', 'circular outline'],
    paraphrases: [
      'hollow loop',
      'figure like a lifebuoy',
      'bagel-like loop',
      'loop with an empty middle',
    ],
  },
  {
    name: 'diamond',
    synonyms: ['rhombus', 'lozenge', 'diamond shape'],
    paraphrases: [
      'kite-like figure',
      'figure like a playing-card suit',
      'figure like a tilted window pane',
      'figure standing on one corner',
    ],
  },
  {
    name: 'hexagon',
    synonyms: ['six-sided shape', 'hex shape', 'honeycomb cell'],
    paraphrases: [
      'figure like a bolt head',
      'beehive-pattern figure',
      'figure like a nut from a toolbox',
      'figure with flat sides all around',
    ],
  },
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
