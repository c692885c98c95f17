/** A cross-validation worker (see parallel.ts): trains folds `f` with f % parts === part. */
import { conceptLexicon } from '../../src/knowledge/concepts.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { loadTrainingSet, sectionTextLines } from './data.js';
import type { FoldMessage } from './parallel.js';
import { crossValidate, rawsOf, type TrainSettings } from './pipeline.js';

const [part, parts, json] = process.argv.slice(2);
const settings = JSON.parse(json!) as TrainSettings;
const kb = loadKnowledge();
const lines = loadTrainingSet(kb);
const lexicon = conceptLexicon();
const textLines = sectionTextLines(kb);
const held = crossValidate(
  lines,
  rawsOf(lines, lexicon),
  { lines: textLines, raws: rawsOf(textLines, lexicon) },
  lexicon,
  settings,
  (fold) => fold % Number(parts) === Number(part),
);
const message: FoldMessage = {
  held: [...held].map(([i, h]) => [i, Array.from(h.logits), h.section ?? null]),
};
process.send!(message, () => process.disconnect());
