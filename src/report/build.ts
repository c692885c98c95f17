/**
 * The keeper's report (issue 16), computed from the question log: declined questions
 * clustered, low-confidence answers, 👎 answers with their reasons, did-you-mean picks,
 * answers per topic and per language, the share declined, and questions per day. The store
 * only reads rows; every count and share is computed here.
 */
import type { KnowledgeBase } from '../knowledge/index.js';
import type { LoggedQuestion, QuestionOutcome, RatingRow, Store } from '../store/types.js';
import { CLUSTER_THRESHOLD, clusterBy } from './cluster.js';

/** An answer below this confidence is listed as low-confidence. */
export const LOW_CONFIDENCE = 0.6;
const DAY_MS = 86_400_000;

/** A logged question as the report shows it: no user, the time as an ISO string. */
export type ReportQuestion = Pick<
  LoggedQuestion,
  'id' | 'text' | 'lang' | 'outcome' | 'topic' | 'section' | 'confidence'
> & { askedAt: string };

export interface Report {
  generatedAt: string;
  days: number;
  since: string;
  totals: {
    questions: number;
    answered: number;
    clarified: number;
    declined: number;
    /** declined / questions (0 without questions). */
    declinedShare: number;
    good: number;
    bad: number;
  };
  perDay: { day: string; answer: number; clarify: number; none: number }[];
  perTopic: { topic: number; title: string; answers: number }[];
  perLang: { lang: string; questions: number; answered: number; declined: number }[];
  /** Biggest first; `threshold` is the cosine similarity used. */
  declinedClusters: { size: number; questions: ReportQuestion[] }[];
  clusterThreshold: number;
  lowConfidence: ReportQuestion[];
  lowConfidenceBelow: number;
  thumbsDown: { question: ReportQuestion; reason?: string; ratedAt: string }[];
  picks: { question: ReportQuestion; offered: number | null; picked: number }[];
}

export interface ReportOptions {
  /** How many days back (questions asked and ratings given since then). */
  days: number;
  now?: number;
  knowledge: KnowledgeBase;
}

const iso = (ms: number) => new Date(ms).toISOString();

function reportQuestion(q: LoggedQuestion): ReportQuestion {
  return {
    id: q.id,
    askedAt: iso(q.askedAt),
    text: q.text,
    lang: q.lang,
    outcome: q.outcome,
    topic: q.topic,
    section: q.section,
    confidence: Math.round(q.confidence * 1000) / 1000,
  };
}

/** Questions per UTC day, every day of the period listed (zero days too). */
function perDay(questions: readonly LoggedQuestion[], since: number, now: number) {
  const days = new Map<string, { day: string; answer: number; clarify: number; none: number }>();
  for (let t = since - (since % DAY_MS); t <= now; t += DAY_MS) {
    const day = iso(t).slice(0, 10);
    days.set(day, { day, answer: 0, clarify: 0, none: 0 });
  }
  for (const q of questions) {
    const row = days.get(iso(q.askedAt).slice(0, 10));
    if (row) row[q.outcome]++;
  }
  return [...days.values()];
}

function perLang(questions: readonly LoggedQuestion[]) {
  const langs = new Map<string, Report['perLang'][number]>();
  for (const q of questions) {
    const row = langs.get(q.lang) ?? { lang: q.lang, questions: 0, answered: 0, declined: 0 };
    row.questions++;
    if (q.outcome === 'answer') row.answered++;
    if (q.outcome === 'none') row.declined++;
    langs.set(q.lang, row);
  }
  return [...langs.values()].sort(
    (a, b) => b.questions - a.questions || (a.lang < b.lang ? -1 : 1),
  );
}

function perTopic(questions: readonly LoggedQuestion[], kb: KnowledgeBase) {
  return kb.topics.map((topic) => ({
    topic: topic.id,
    title: topic.docs.en.title,
    answers: questions.filter((q) => q.outcome === 'answer' && q.topic === topic.id).length,
  }));
}

/** The 👎 ratings with their questions (a question older than the period is read by id). */
async function thumbsDown(
  store: Store,
  ratings: readonly RatingRow[],
  byId: Map<number, LoggedQuestion>,
) {
  const out: Report['thumbsDown'] = [];
  for (const r of ratings) {
    if (r.good) continue;
    const q = byId.get(r.questionId) ?? (await store.loggedQuestion(r.questionId));
    if (!q) continue;
    out.push({
      question: reportQuestion(q),
      ratedAt: iso(r.ratedAt),
      ...(r.reason ? { reason: r.reason } : {}),
    });
  }
  return out;
}

export async function buildReport(store: Store, options: ReportOptions): Promise<Report> {
  const now = options.now ?? Date.now();
  const since = now - options.days * DAY_MS;
  const questions = await store.questionsSince(since);
  const ratings = await store.ratingsSince(since);
  const count = (o: QuestionOutcome) => questions.filter((q) => q.outcome === o).length;
  const declined = questions.filter((q) => q.outcome === 'none');
  const byId = new Map(questions.map((q) => [q.id, q]));
  return {
    generatedAt: iso(now),
    days: options.days,
    since: iso(since),
    totals: {
      questions: questions.length,
      answered: count('answer'),
      clarified: count('clarify'),
      declined: declined.length,
      declinedShare: questions.length ? declined.length / questions.length : 0,
      good: ratings.filter((r) => r.good).length,
      bad: ratings.filter((r) => !r.good).length,
    },
    perDay: perDay(questions, since, now),
    perTopic: perTopic(questions, options.knowledge),
    perLang: perLang(questions),
    declinedClusters: clusterBy(declined, (q) => q.text).map((c) => ({
      size: c.items.length,
      questions: c.items.map(reportQuestion),
    })),
    clusterThreshold: CLUSTER_THRESHOLD,
    lowConfidence: questions
      .filter((q) => q.outcome === 'answer' && q.confidence < LOW_CONFIDENCE)
      .sort((a, b) => a.confidence - b.confidence)
      .map(reportQuestion),
    lowConfidenceBelow: LOW_CONFIDENCE,
    thumbsDown: await thumbsDown(store, ratings, byId),
    picks: questions
      .filter((q) => q.outcome === 'clarify' && q.pickedTopic !== undefined)
      .map((q) => ({ question: reportQuestion(q), offered: q.topic, picked: q.pickedTopic! })),
  };
}
