import type { MatchResult, QuestionMatcher } from './classifier.js';
import { TopicClassifier } from './classifier.js';

export type { MatchOutcome, MatchResult, QuestionMatcher, TopicScore } from './classifier.js';
export { decide, MAX_ROUTE_CHARS, TopicClassifier } from './classifier.js';
export { isFragment } from './fragments.js';

export type { KnowledgeBase, Section, Topic, TopicDoc } from './load.js';
export { KnowledgeError, knowledgeBase, loadKnowledge, parseTopicFile } from './load.js';
export { detectLang, type Lang } from './text.js';

let matcher: TopicClassifier | undefined;

/** The router's trained classifier (content/router-model.json), loaded on first use. */
export function defaultMatcher(): QuestionMatcher {
  matcher ??= new TopicClassifier();
  return matcher;
}

/**
 * Map a chat question (Chinese, English or mixed) to a topic and section.
 *
 * @example
 * matchQuestion('全参数微调 7B 要多少显存?')
 * // → { outcome: 'answer', topic: 5, section: 't5.…', score: 0.97, confidence: 0.97, lang: 'zh', alternatives: [] }
 */
export function matchQuestion(text: string): MatchResult {
  return defaultMatcher().match(text);
}
