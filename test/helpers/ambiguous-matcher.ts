import {
  type MatchResult,
  type QuestionMatcher,
  TopicClassifier,
} from '../../src/knowledge/index.js';

/** A question the cue matcher always answers with "did you mean" topic 9 or topic 3. */
export const AMBIGUOUS_CUE = 'ambiguous-cue: corpus for a legal domain model?';

/**
 * The real router, except that one cue question is a "did you mean" between two topics, so
 * the platforms' choice-button flow is tested whatever the training of the real classifier.
 */
export class CueMatcher implements QuestionMatcher {
  private readonly real = new TopicClassifier();

  match(text: string): MatchResult {
    if (!text.includes(AMBIGUOUS_CUE)) return this.real.match(text);
    return {
      outcome: 'clarify',
      topic: 9,
      section: 't9.domain',
      score: 0.4,
      confidence: 0.4,
      lang: 'en',
      alternatives: [{ topic: 3, score: 0.38 }],
    };
  }
}
