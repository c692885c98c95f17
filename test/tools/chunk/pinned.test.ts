/**
 * Pinned outputs: a hash of every chunk (start, end, size) and of each chunk's explanation, for
 * seeded corpora and several size/overlap/unit settings. Speed work on the splitter must not
 * change a single chunk: when a hash here changes, the output changed. A deliberate change of
 * behaviour updates the hashes in the same commit and says why.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus, hardWrap } from '../../../bench/corpus.js';
import {
  type ChunkOptions,
  chunkStream,
  splitText,
  splitTextExplained,
} from '../../../src/tools/chunk/index.js';
import { anyText } from './arbitraries.js';

const KB = 1000;
const CORPORA: Record<string, () => string> = {
  zh: () => generateCorpus('zh', 200 * KB, 11),
  en: () => generateCorpus('en', 200 * KB, 11),
  'zh long-paragraph': () => generateCorpus('zh', 150 * KB, 12, 'long-paragraph'),
  'en long-paragraph': () => generateCorpus('en', 150 * KB, 12, 'long-paragraph'),
  'en hard-wrapped': () => hardWrap(generateCorpus('en', 200 * KB, 13)),
  // Generated texts with the hard cases: emoji, flags, combining marks, mixed scripts.
  arbitrary: () => fc.sample(anyText, { seed: 20261203, numRuns: 400 }).join('\n\n'),
};

const SETTINGS: ChunkOptions[] = [
  { size: 1000, overlap: 100 },
  { size: 200, overlap: 50 },
  { size: 80, overlap: 30 },
  { size: 500, overlap: 0 },
];
const TOKEN_SETTINGS: ChunkOptions[] = [{ size: 128, overlap: 20, unit: 'tokens' }];

function digest(parts: Iterable<string>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\n');
  return h.digest('hex').slice(0, 16);
}

function pin(text: string, options: ChunkOptions): string {
  return digest(splitText(text, options).map((c) => `${c.start},${c.end},${c.size}`));
}

function pinExplained(text: string, options: ChunkOptions): string {
  return digest(
    splitTextExplained(text, options).map(
      (c) => `${c.start},${c.end},${c.endsAt},${c.overlapStartsAt},${c.overlap}`,
    ),
  );
}

/** Expected hashes, by corpus then setting (`size/overlap[/tokens]`). */
const EXPECTED: Record<string, Record<string, string>> = {
  zh: {
    '1000/100': '3a2c236872da87ab',
    '128/20/tokens': 'c13e8cd0711f8f70',
    '200/50': 'b31998d3c3a43b7e',
    '500/0': '3338b4de8e0f9c61',
    '80/30': '6d9ae527944d0704',
    'explained 1000/100': 'b12f432c50e6f59e',
  },
  en: {
    '1000/100': '54f06f7edc644755',
    '128/20/tokens': '3e4a668f7d04aae4',
    '200/50': 'e845d967dc2eb0aa',
    '500/0': '27557e4e6bf0832d',
    '80/30': 'cd108fa341af741c',
    'explained 1000/100': 'a6d474ba8ec1ae45',
  },
  'zh long-paragraph': {
    '1000/100': 'e802a18a12711d52',
    '128/20/tokens': '156016514e1694da',
    '200/50': 'cbb8a5d8451602db',
    '500/0': '11cfb9111ec7d1ba',
    '80/30': 'f32ac40af6e06832',
    'explained 1000/100': '528fb49ad3c3f7a9',
  },
  'en long-paragraph': {
    '1000/100': '038eb2076ee9b44d',
    '128/20/tokens': '6a69f40bfe514cac',
    '200/50': 'a277b92d94291f91',
    '500/0': '8275e85a9fe8de87',
    '80/30': '1b861bf2271c8ac8',
    'explained 1000/100': '9c6a994cf2ede021',
  },
  'en hard-wrapped': {
    '1000/100': '75730905f26be4e0',
    '128/20/tokens': '6dfcb2ce2e37ab8f',
    '200/50': '16ab482d9114fcff',
    '500/0': 'f3770d6e6f23e886',
    '80/30': 'f151c002c90bf86b',
    'explained 1000/100': 'b7d25a613596eaea',
  },
  arbitrary: {
    '1000/100': '620ca33645d49cdc',
    '128/20/tokens': '9be404c3227fa652',
    '200/50': 'f4f122f2e5fdc9a1',
    '500/0': '054939f85453ea7c',
    '80/30': 'db50282e087c52fb',
    'explained 1000/100': '072ea799a331aa64',
  },
};

const key = (o: ChunkOptions) =>
  `${o.size}/${o.overlap ?? 0}${o.unit === 'tokens' ? '/tokens' : ''}`;

describe('splitText: pinned outputs on seeded corpora', () => {
  for (const [name, make] of Object.entries(CORPORA)) {
    it(`${name}: every chunk is unchanged`, () => {
      const text = make();
      const got: Record<string, string> = {};
      for (const o of SETTINGS) got[key(o)] = pin(text, o);
      got['explained 1000/100'] = pinExplained(text, { size: 1000, overlap: 100 });
      const head = text.slice(0, 30 * KB);
      for (const o of TOKEN_SETTINGS) got[key(o)] = pin(head, o);
      expect(got).toEqual(EXPECTED[name]);
    });
  }

  it('the stream gives the same chunks as the whole text (pinned corpus, small pieces)', async () => {
    const text = CORPORA['en hard-wrapped']!().slice(0, 60 * KB);
    const options = { size: 200, overlap: 50 };
    async function* pieces() {
      for (let i = 0; i < text.length; i += 777) yield text.slice(i, i + 777);
    }
    const streamed: string[] = [];
    for await (const c of chunkStream(pieces(), options)) streamed.push(`${c.start},${c.end}`);
    expect(streamed).toEqual(splitText(text, options).map((c) => `${c.start},${c.end}`));
  });
});
