// Captions like web alt-text. On-target captions describe a rendered shape with varied templates,
// word orders, synonyms and filler, sometimes naming only its colour or only its shape; off-target
// captions are about products, places, events, food and so on, some using the class words in
// other senses ("red wine", "town square") so that plain word matching is useful but not enough.
import type { Rng } from '@curio/random';
import type { SyntheticClass } from './catalog.js';

/** What the renderer drew, for captions to mention. */
export interface ShapeTraits {
  size: 'small' | 'medium' | 'large';
  position: string;
  background: string;
}

const SIZE_WORDS: Record<ShapeTraits['size'], readonly string[]> = {
  small: ['small', 'little', 'tiny', 'mini'],
  medium: ['', 'simple', 'plain', 'single'],
  large: ['large', 'big', 'huge', 'bold'],
};

const FILLERS = [
  'high quality',
  'hd',
  'stock image',
  'royalty free',
  'free download',
  'png',
  'vector',
  'clipart',
  'minimalist',
  'flat design',
  'illustration',
  'for kids',
  'printable',
  'wall art',
  'icon set',
  'cute',
  'modern',
  'retro style',
  'digital art',
  '4k wallpaper',
  'sticker',
  'logo idea',
];

// {c} colour, {s} shape, {z} size word, {p} position, {b} background, {f} filler.
const FULL_TEMPLATES = [
  'a {z} {c} {s} on a {b} background',
  '{c} {s}',
  '{c} {s} {f}',
  '{f} {c} {s}',
  '{s} in {c}',
  'a {s}, {c}, {p}',
  'the {s} is {c}',
  '{z} {c} {s} at the {p} of the picture',
  'vector illustration of a {c} {s} on {b}',
  '{c} {s} icon - {f}',
  'free {c} {s} sticker, {f}',
  'geometric {s} painted {c}',
  '{c} colored {s} on a {b} backdrop',
  'abstract print with one {z} {c} {s}',
  'photo of a {c} paper {s} on a {b} table',
  '{s} shape ({c}) - {f}',
  'kids learning card: {c} {s}',
  '{c} {s} wall decal',
  'a {c} {s} drawn in the {p}',
  'simple {c} {s} graphic, {b} background, {f}',
  'my {c} {s} design',
  '{z} {s} filled with {c}',
  '{c} and {b}: a {s}',
  'one {c} {s}. {f}',
  'look at this {c} {s}!',
  'a {b} background with a {z} {c} {s} in the {p}',
  '{f}: {z} {c} {s}',
  'felt {s} in {c} for a craft project',
  '{c} {s} emoji',
  'foam {s}, colour {c}',
];

const COLOUR_ONLY_TEMPLATES = [
  'something {c} on a {b} background',
  'a {z} {c} shape, {f}',
  'all about {c} - {f}',
  '{c} graphic in the {p}',
  'minimal {c} art on {b}',
];

const SHAPE_ONLY_TEMPLATES = [
  'a {z} {s} on {b}',
  '{s} outline clipart, {f}',
  'learn shapes: the {s}',
  'one {s} in the {p}',
  'geometry lesson {s} {f}',
];

function pickWord(rng: Rng, name: string, synonyms: readonly string[], pName: number): string {
  return rng.next() < pName ? name : rng.pick(synonyms);
}

function styleCase(rng: Rng, text: string): string {
  const r = rng.next();
  if (r < 0.55) return text;
  if (r < 0.85) return text.charAt(0).toUpperCase() + text.slice(1);
  if (r < 0.95) return text.replace(/\b[a-z]/g, (ch) => ch.toUpperCase());
  return text.toUpperCase();
}

function fill(template: string, slots: Record<string, string>): string {
  return template
    .replace(/\{(\w)\}/g, (_, k: string) => slots[k] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.!:)])/g, '$1')
    .replace(/\( /g, '(')
    .trim();
}

/** A web-like caption for a rendered class instance. */
export function onTargetCaption(rng: Rng, cls: SyntheticClass, traits: ShapeTraits): string {
  const r = rng.next();
  const templates =
    r < 0.08 ? COLOUR_ONLY_TEMPLATES : r < 0.16 ? SHAPE_ONLY_TEMPLATES : FULL_TEMPLATES;
  const slots = {
    c: pickWord(rng, cls.colour.name, cls.colour.synonyms, 0.7),
    s: pickWord(rng, cls.shape.name, cls.shape.synonyms, 0.7),
    z: rng.pick(SIZE_WORDS[traits.size]),
    p: traits.position,
    b: traits.background,
    f: rng.pick(FILLERS),
  };
  return styleCase(rng, fill(rng.pick(templates), slots));
}

// Paraphrases describe the class without its name or any catalog synonym ({c} and {s} are
// paraphrases here: "a coin-like figure, tomato-coloured"), so that only a model can find them.
const PARAPHRASE_TEMPLATES = [
  'a {z} {s}, {c}',
  '{s} {c} on a {b} background',
  '{f}: a {s}, {c}',
  'a {s} that is {c}, {p}',
  '{c} {s} {f}',
  'picture of a {z} {s}, {c}, in the {p}',
  'a {s} drawn {c} on {b}',
  '{s} - {c} - {f}',
];

/** A caption for a rendered class instance that names neither the class nor a synonym of it. */
export function paraphrasedCaption(rng: Rng, cls: SyntheticClass, traits: ShapeTraits): string {
  const slots = {
    c: rng.pick(cls.colour.paraphrases),
    s: rng.pick(cls.shape.paraphrases),
    z: rng.pick(SIZE_WORDS[traits.size]),
    p: traits.position,
    b: traits.background,
    f: rng.pick(FILLERS),
  };
  return styleCase(rng, fill(rng.pick(PARAPHRASE_TEMPLATES), slots));
}

// ---- off-target captions -------------------------------------------------------------------

const PRODUCTS = [
  'stainless steel water bottle',
  'running shoes',
  'leather wallet',
  'wireless earbuds',
  'ceramic coffee mug',
  'cotton t-shirt',
  'gaming laptop',
  'desk lamp',
  'yoga mat',
  'backpack',
  'phone case',
  'office chair',
  'electric kettle',
  'wool scarf',
  'sunglasses',
  'mechanical keyboard',
  'garden hose',
  'baby stroller',
];
const ADJECTIVES = [
  'vintage',
  'new',
  'used',
  'premium',
  'lightweight',
  'waterproof',
  'handmade',
  'organic',
  'cheap',
  'best',
];
const PLACES = [
  'Lisbon',
  'the old harbour',
  'Kyoto',
  'downtown Chicago',
  'the Alps',
  'a quiet beach',
  'Central Park',
  'the Scottish highlands',
  'Marrakech',
  'a mountain village',
  'the city hall',
  'Lake Como',
  'Reykjavik',
];
const SCENES = [
  'sunset over',
  'morning fog in',
  'street view of',
  'aerial view of',
  'night lights of',
  'a rainy day in',
  'hiking trail near',
];
const EVENTS = [
  'wedding reception',
  'birthday party',
  'marathon finish line',
  'graduation ceremony',
  'jazz concert',
  'farmers market',
  'conference keynote',
  'school play',
  'charity run',
  'product launch',
];
const FOODS = [
  'homemade lasagna',
  'avocado toast',
  'chocolate chip cookies',
  'ramen bowl',
  'grilled salmon',
  'fresh salad',
  'banana bread',
  'pepperoni pizza',
  'pancakes with syrup',
  'vegetable curry',
];
const ANIMALS = [
  'golden retriever puppy',
  'tabby cat',
  'horse in a field',
  'parrot',
  'hedgehog',
  'dairy cows',
  'koi fish',
  'owl',
];
const YEARS = ['2014', '2016', '2018', '2019', '2021', '2022', '2023'];
const MONTHS = ['January', 'March', 'May', 'June', 'August', 'October', 'December'];
const NEAR_MISS = [
  'red wine glasses on a table',
  'blue jeans for men slim fit',
  'green tea latte',
  'yellow taxi in new york',
  'circle of friends at the campfire',
  'town square at night',
  'star wars poster',
  'heart shaped cake',
  'boxing ring at the gym',
  'diamond engagement ring',
  'orange juice and croissant',
  'pink flamingo at the zoo',
  'purple rain tribute concert',
  'red carpet arrivals',
  'blue whale skeleton in the museum',
  'green beans recipe',
  'square dance festival',
  'triangle sandwich for lunch',
  'cross country skiing',
  'rising star award',
  'golden hour portrait',
  'emerald city musical',
  'crimson tide football',
  'rose garden in bloom',
  'block party in brooklyn',
  'a box of chocolates',
  'turquoise jewelry',
  'cobalt blue vase on a shelf',
  'ring road traffic',
  'plus size dresses',
  'honeycomb toffee',
  'amber necklace',
];

const SYLLABLES = [
  'ka',
  'lo',
  'mer',
  'vin',
  'tas',
  'ro',
  'bel',
  'dun',
  'qui',
  'sha',
  'tor',
  'ex',
  'ni',
  'pal',
  'gra',
  'zu',
  'ven',
  'mi',
];
const VENUES = [
  'cafe',
  'hotel',
  'apartments',
  'station',
  'music festival',
  'records',
  'cement bags',
  'hiking club',
  'pharmacy',
  'bus line map',
  'book cover',
  'logo redesign',
  'parking garage',
  'shopping centre',
  'brewery',
];
const PEOPLE = [
  'grandma',
  'my brother',
  'the team',
  'our neighbours',
  'the bride and groom',
  'students',
  'the new mayor',
];

/** A made-up proper name ("Torvinka"), for the long tail of web vocabulary. */
function madeUpName(rng: Rng): string {
  const n = 2 + rng.int(2);
  const word = Array.from({ length: n }, () => rng.pick(SYLLABLES)).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const OFF_TEMPLATES: ((rng: Rng, classes: readonly SyntheticClass[]) => string)[] = [
  (r) => `${madeUpName(r)} ${r.pick(PRODUCTS)} ${100 + 50 * r.int(20)}ml`,
  (r) =>
    `${madeUpName(r)} ${r.pick(PRODUCTS)}, model ${madeUpName(r).toUpperCase()}-${r.int(900) + 100}`,
  (r) => `photo by ${madeUpName(r)} ${madeUpName(r)}`,
  (r) => `${r.pick(PEOPLE)} at ${madeUpName(r)} ${r.pick(VENUES)}`,
  (r) => `${r.pick(EVENTS)} in ${madeUpName(r)}, ${r.pick(YEARS)}`,
  (r) => `${r.pick(ADJECTIVES)} ${r.pick(PRODUCTS)} - free shipping`,
  (r) => `buy ${r.pick(PRODUCTS)} online | ${r.pick(ADJECTIVES)} deals`,
  (r) => `${r.pick(PRODUCTS)} review ${r.pick(YEARS)}`,
  (r) => `${r.pick(PRODUCTS)}, size ${1 + r.int(12)}`,
  (r) => `${r.pick(SCENES)} ${r.pick(PLACES)}`,
  (r) => `${r.pick(PLACES)} travel guide ${r.pick(YEARS)}`,
  (r) => `our trip to ${r.pick(PLACES)}, ${r.pick(MONTHS)} ${r.pick(YEARS)}`,
  (r) => `${r.pick(EVENTS)} at ${r.pick(PLACES)}`,
  (r) => `photos from the ${r.pick(EVENTS)} (${r.pick(MONTHS)} ${r.pick(YEARS)})`,
  (r) => `${r.pick(FOODS)} recipe - easy and quick`,
  (r) => `how to make ${r.pick(FOODS)}`,
  (r) => `${r.pick(ANIMALS)} playing in the garden`,
  (r) => `cute ${r.pick(ANIMALS)} photo`,
  (r) => `${r.pick(NEAR_MISS)}`,
  (r) => `${r.pick(NEAR_MISS)} - ${r.pick(YEARS)}`,
  (r) => `${r.pick(ADJECTIVES)} ${r.pick(NEAR_MISS)}`,
  (r) => `IMG_${1000 + r.int(9000)}.jpg`,
  (r) => `abstract texture background ${r.pick(FILLERS)}`,
  (r) => `seamless pattern, ${r.pick(FILLERS)}`,
  (r) => `wallpaper ${r.pick(YEARS)} ${r.pick(FILLERS)}`,
];

// Rarely, a class name itself used as a proper noun ("Red Circle Cafe"): lexical matching on
// class names then also keeps some off-target pairs, as on real web data.
const PROPER_NOUN_RATE = 0.005;

function classNameAsProperNoun(rng: Rng, classes: readonly SyntheticClass[]): string {
  const name = rng.pick(classes).name.replace(/\b[a-z]/g, (ch) => ch.toUpperCase());
  return rng.next() < 0.5
    ? `${name} ${rng.pick(VENUES)}`
    : `the ${name} ${rng.pick(VENUES)} in ${rng.pick(PLACES)}`;
}

/** A web-like caption unrelated to the classes (some use class words in other senses). */
export function offTargetCaption(rng: Rng, classes: readonly SyntheticClass[] = []): string {
  if (classes.length > 0 && rng.next() < PROPER_NOUN_RATE)
    return styleCase(rng, classNameAsProperNoun(rng, classes));
  return styleCase(rng, rng.pick(OFF_TEMPLATES)(rng, classes));
}
