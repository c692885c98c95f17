/**
 * /quiz, /answer, /leaderboard, /stats, /review: study-group quizzes and personal review.
 *
 * `createQuiz` wires the quiz engine (src/quiz) to a store (src/store) and to the router's
 * messenger: questions, reveals and scoreboards are posted to the channel; answers and
 * acknowledgements are private replies. Quiz buttons are `/answer <A|true|120> q=<quiz>.<n>`,
 * review buttons `/review <question id> <answer>` (both well under Discord's 100-character
 * custom_id).
 *
 * The code lives in ./quiz/: feature.ts (createQuiz), play.ts (/quiz, /answer), boards.ts
 * (/leaderboard, /stats), review.ts (/review), render.ts (quiz events → replies), text.ts
 * (shared wording) and shared.ts (command plumbing).
 */
export { createQuiz, type QuizFeature, type QuizFeatureOptions } from './quiz/feature.js';
export { renderQuizEvent } from './quiz/render.js';
export { SCORING_TEXT } from './quiz/text.js';
