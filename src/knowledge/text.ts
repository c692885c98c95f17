/**
 * Text analysis for matching chat questions in Chinese, English or a mix of both.
 *
 * A message is cut into runs of Han characters and runs of Latin letters/digits.
 * - English words are case-folded and lightly stemmed (tune/tuning/tuned → "tun").
 * - Chinese runs are segmented into words with `Intl.Segmenter`, and also cut into
 *   character bigrams (robust to segmentation differences) whose toneless pinyin is
 *   kept too, so that homophone typos (现存 for 显存, 分快 for 分块) still match.
 * Every term carries a namespace prefix: `w:` English stem, `w2:` two adjacent English
 * content words, `z:` Chinese word,
 * `c:` single-character Chinese word, `b:` Chinese bigram, `p:` pinyin of a bigram.
 */
import { pinyin } from 'pinyin-pro';

/** The two languages the tutor speaks. */
export type Lang = 'zh' | 'en';

export interface Term {
  term: string;
  /** Relative weight of this kind of term in a query. */
  weight: number;
  /** The surface form (English word before stemming), for typo correction. */
  surface?: string;
  /** The two characters of a bigram or its pinyin term, to repair homophone typos. */
  chars?: string;
}

const HAN = /\p{Script=Han}/u;
const LATIN = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])+`;
const RUNS = new RegExp(String.raw`(\p{Script=Han}+)|(${LATIN}(?:[-_.'’]${LATIN})*)`, 'gu');

const EN_STOP = new Set(
  `a an the and or but if then so of to in on at by for with from as into about over after before
  is are was were be been being am do does did done doing have has had having i me my we our you your
  he she it its they them their this that these those there here what which who whom whose when where
  why how can could should would will shall may might must not no yes just also too very really much
  many more most some any all each every other such only own same than up down out off again further
  once get got gets getting go going make made like vs via per im i'm it's dont don't doesnt can't
  cant whats what's hey hi hello guys ok okay pls please thanks thx lol tbh btw anyone someone know
  question quick ask asking wondering actually basically thing things stuff something way ways kind
  sort let lets let's one ones use using used need needs want wants say said tell`.split(/\s+/),
);

/** Han characters that carry no topic on their own (particles, pronouns, fillers). */
const ZH_STOP_CHARS = new Set(
  '的了吗呢吧啊呀哦嘛么着过是我你他她它们这那哪有在和与及就都也还又要会能可把被给让对从而或并很太更最吗呗哈嗯诶喂'.split(
    '',
  ),
);
const ZH_STOP_WORDS = new Set([
  '什么',
  '怎么',
  '怎样',
  '如何',
  '我们',
  '你们',
  '他们',
  '大家',
  '一个',
  '一下',
  '这个',
  '那个',
  '这种',
  '那种',
  '这样',
  '那样',
  '就是',
  '还是',
  '是不是',
  '有没有',
  '能不能',
  '可以',
  '请问',
  '问下',
  '问一下',
  '一些',
  '有点',
  '之后',
  '时候',
  '然后',
  '但是',
  '因为',
  '所以',
  '如果',
  '的话',
  '觉得',
  '感觉',
  '到底',
  '其实',
  '真的',
  // generic adverbs and question words: they say nothing about the topic
  '一般',
  '可能',
  '需要',
  '应该',
  '还有',
  '没有',
  '为啥',
  '有啥',
  '大概',
  '通常',
  '比较',
  '主要',
  '具体',
  '直接',
  '现在',
  '一点',
  '这些',
  '那些',
  '哪些',
  '怎么办',
  '是否',
  '能否',
  '会不会',
  '要不要',
  '之前',
  '以后',
  '以前',
  '这么',
  '那么',
  '不是',
  '只是',
  '已经',
  '一直',
  '非常',
  '特别',
  '好像',
  '似乎',
  '情况',
  '办法',
  '方法',
  '问题',
]);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Light, consistent English stemmer: the same word family maps to the same stem. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

export function isStopWord(word: string): boolean {
  return EN_STOP.has(word);
}

/** Unicode-normalize and case-fold; tolerant of lone surrogates and control characters. */
export function normalize(text: string): string {
  return text.toWellFormed().normalize('NFKC').toLowerCase();
}

export const QUERY_WEIGHTS = {
  en: 1,
  enCompound: 0.8,
  enPhrase: 0.6,
  zhWord: 1,
  zhChar: 0.3,
  zhBigram: 0.5,
  pinyin: 0.35,
} as const;

/**
 * English words of one run; `prev` is the last content word before it in the same clause, so
 * that adjacent content words also form a phrase term ("continued pretraining").
 */
function englishTerms(run: string, out: Term[], prev: string | null): string | null {
  const parts = run.split(/[-_.'’]/).filter((p) => p.length > 0);
  let last = prev;
  for (const part of parts) {
    if (EN_STOP.has(part) || (part.length < 2 && !/\d/.test(part))) continue;
    const stemmed = stem(part);
    out.push({ term: `w:${stemmed}`, weight: QUERY_WEIGHTS.en, surface: part });
    if (last && last !== stemmed)
      out.push({ term: `w2:${last}_${stemmed}`, weight: QUERY_WEIGHTS.enPhrase });
    last = stemmed;
  }
  if (parts.length > 1) {
    const joined = parts.join('');
    out.push({ term: `w:${stem(joined)}`, weight: QUERY_WEIGHTS.enCompound, surface: joined });
  }
  return last;
}

/**
 * Longest piece of one Chinese run handed to the segmenter at once. ICU's dictionary
 * segmentation grows faster than the length of an unbroken run (about 3× per doubling past a
 * few thousand characters), so a longer run is cut into pieces of this many UTF-16 units: linear
 * time, and no question of normal length is affected.
 */
const MAX_ZH_PIECE = 256;

function chineseTerms(run: string, out: Term[]): void {
  let start = 0;
  while (start < run.length) {
    let end = Math.min(start + MAX_ZH_PIECE, run.length);
    // Han characters outside the BMP are surrogate pairs: never cut one in half
    const last = run.charCodeAt(end - 1);
    if (end < run.length && last >= 0xd800 && last <= 0xdbff) end++;
    chineseRunTerms(run.slice(start, end), out);
    start = end;
  }
}

function chineseRunTerms(run: string, out: Term[]): void {
  const segments = [...segmenter.segment(run)].map((x) => x.segment);
  // segment index of every character, to tell bigrams inside a word from cuts across two words
  const owner: number[] = [];
  segments.forEach((segment, i) => {
    for (const _ of segment) owner.push(i);
    if (ZH_STOP_WORDS.has(segment) || ZH_STOP_CHARS.has(segment)) return;
    if (segment.length === 1) {
      if (HAN.test(segment)) out.push({ term: `c:${segment}`, weight: QUERY_WEIGHTS.zhChar });
      return;
    }
    out.push({ term: `z:${segment}`, weight: QUERY_WEIGHTS.zhWord });
  });
  const chars = [...run];
  if (chars.length < 2) return;
  const syllables = pinyin(run, { toneType: 'none', type: 'array' });
  const single = (i: number) => [...(segments[owner[i]!] ?? '')].length === 1;
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i]!;
    const b = chars[i + 1]!;
    if (ZH_STOP_CHARS.has(a) || ZH_STOP_CHARS.has(b)) continue;
    // keep bigrams inside a word, or touching a lone character (a typo often splits a word:
    // 分快 → 分|快); skip cuts between two whole words (多少|合适 → 少合), which are noise
    if (owner[i] !== owner[i + 1] && !single(i) && !single(i + 1)) continue;
    if (owner[i] === owner[i + 1] && ZH_STOP_WORDS.has(segments[owner[i]!]!)) continue;
    out.push({ term: `b:${a}${b}`, weight: QUERY_WEIGHTS.zhBigram, chars: a + b });
    const pa = syllables[i];
    const pb = syllables[i + 1];
    if (pa && pb) out.push({ term: `p:${pa}${pb}`, weight: QUERY_WEIGHTS.pinyin, chars: a + b });
  }
}

/** Cut a text into weighted terms (duplicates kept; callers aggregate). */
export function analyze(text: string): Term[] {
  const out: Term[] = [];
  const norm = normalize(text);
  let prev: string | null = null;
  let lastEnd = 0;
  for (const m of norm.matchAll(RUNS)) {
    // a phrase does not span punctuation or Chinese text
    if (/[^\s]/.test(norm.slice(lastEnd, m.index))) prev = null;
    lastEnd = m.index + m[0].length;
    if (m[1]) {
      chineseTerms(m[1], out);
      prev = null;
    } else if (m[2]) {
      prev = englishTerms(m[2], out, prev);
    }
  }
  return out;
}

/** Reply language of a message: any Han character means Chinese. */
export function detectLang(text: string): Lang {
  return HAN.test(text) ? 'zh' : 'en';
}
