import { knowledgeBase, type MatchResult, TopicMatcher } from '../../src/knowledge/index.js';

/** A question the cue matcher always answers with "did you mean" topic 9 or topic 3. */
export const AMBIGUOUS_CUE = 'ambiguous-cue: corpus for a legal domain model?';

/**
 * The real matcher, except that one cue question is a "did you mean" between two topics, so
 * the platforms' choice-button flow is tested whatever the tuning of the real matcher.
 */
export class CueMatcher extends TopicMatcher {
  constructor() {
    super(knowledgeBase());
  }

  override match(text: string): MatchResult {
    if (!text.includes(AMBIGUOUS_CUE)) return super.match(text);
    return {
      outcome: 'clarify',
      topic: 9,
      section: 't9.domain',
      score: 0.4,
      lang: 'en',
      alternatives: [{ topic: 3, score: 0.38 }],
    };
  }
}
