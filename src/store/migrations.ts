/**
 * Versioned schema migrations. The database's `PRAGMA user_version` is the number of the
 * last migration applied; `migrate` applies the newer ones in order, each in its own
 * transaction, at open. Never edit a migration that has shipped — add a new one.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'quiz sessions, questions, answers, scores, review cards',
    sql: `
CREATE TABLE quiz_sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_key TEXT NOT NULL,
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  thread_id TEXT,
  is_dm INTEGER NOT NULL CHECK (is_dm IN (0, 1)),
  owner TEXT NOT NULL,
  started_by TEXT NOT NULL,
  started_by_name TEXT,
  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
  topic INTEGER CHECK (topic BETWEEN 1 AND 10),
  question_count INTEGER NOT NULL CHECK (question_count >= 1),
  seconds INTEGER NOT NULL CHECK (seconds >= 1),
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'finished', 'stopped', 'interrupted')),
  current_index INTEGER NOT NULL DEFAULT -1,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  ended_by TEXT
);
-- one running quiz per channel, decided by the database
CREATE UNIQUE INDEX quiz_sessions_one_running ON quiz_sessions (channel_key)
  WHERE status = 'running';
CREATE INDEX quiz_sessions_channel ON quiz_sessions (channel_key, started_at);

CREATE TABLE quiz_questions (
  session_id INTEGER NOT NULL REFERENCES quiz_sessions (id),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  question_id TEXT NOT NULL,
  topic INTEGER NOT NULL,
  opened_at INTEGER,
  closes_at INTEGER,
  revealed_at INTEGER,
  PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;

-- the primary key makes a second answer by the same person to the same question impossible
CREATE TABLE quiz_answers (
  session_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  user_key TEXT NOT NULL,
  user_name TEXT,
  answer TEXT NOT NULL,
  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
  points INTEGER NOT NULL CHECK (points >= 0),
  elapsed_ms INTEGER NOT NULL,
  answered_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, idx, user_key),
  FOREIGN KEY (session_id, idx) REFERENCES quiz_questions (session_id, idx)
) WITHOUT ROWID;
CREATE INDEX quiz_answers_user ON quiz_answers (user_key, answered_at);
CREATE INDEX quiz_answers_time ON quiz_answers (answered_at);

CREATE TABLE quiz_scores (
  session_id INTEGER NOT NULL REFERENCES quiz_sessions (id),
  user_key TEXT NOT NULL,
  user_name TEXT,
  points INTEGER NOT NULL DEFAULT 0,
  correct INTEGER NOT NULL DEFAULT 0,
  answered INTEGER NOT NULL DEFAULT 0,
  best_ms INTEGER,
  PRIMARY KEY (session_id, user_key)
) WITHOUT ROWID;

CREATE TABLE review_cards (
  user_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  topic INTEGER NOT NULL,
  due INTEGER NOT NULL,
  stability REAL NOT NULL,
  difficulty REAL NOT NULL,
  elapsed_days INTEGER NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL,
  reps INTEGER NOT NULL,
  lapses INTEGER NOT NULL,
  state INTEGER NOT NULL,
  last_review INTEGER,
  added_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (user_key, question_id)
) WITHOUT ROWID;
CREATE INDEX review_cards_due ON review_cards (user_key, due);

CREATE TABLE review_log (
  id INTEGER PRIMARY KEY,
  user_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  topic INTEGER NOT NULL,
  answer TEXT NOT NULL,
  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
  rating INTEGER NOT NULL,
  reviewed_at INTEGER NOT NULL
);
CREATE INDEX review_log_user ON review_log (user_key, reviewed_at);
`,
  },
  {
    version: 2,
    name: 'quiz leases: the owner instance holds a running quiz until lease_until',
    sql: `
-- ms on the database's clock; 0 = expired, so quizzes running before this upgrade are claimed
ALTER TABLE quiz_sessions ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE INDEX quiz_sessions_lease ON quiz_sessions (lease_until) WHERE status = 'running';
CREATE INDEX quiz_sessions_owner ON quiz_sessions (owner) WHERE status = 'running';
`,
  },
  {
    version: 3,
    name: 'event claims (a platform event is answered once)',
    sql: `
CREATE TABLE event_claims (
  key TEXT PRIMARY KEY,
  claimed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX event_claims_expiry ON event_claims (expires_at);
`,
  },
  {
    version: 4,
    name: 'question log, answer ratings, installation salt',
    sql: `
CREATE TABLE install_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE question_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  asked_at INTEGER NOT NULL,
  platform TEXT NOT NULL,
  channel_kind TEXT NOT NULL CHECK (channel_kind IN ('dm', 'channel', 'terminal')),
  user_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  lang TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('answer', 'clarify', 'none')),
  topic INTEGER,
  section TEXT,
  confidence REAL NOT NULL,
  picked_topic INTEGER,
  picked_at INTEGER
);
CREATE INDEX question_log_time ON question_log (asked_at);
CREATE INDEX question_log_user ON question_log (user_hash);

-- the primary key makes a second rating by the same person of the same answer impossible
CREATE TABLE answer_ratings (
  question_id INTEGER NOT NULL REFERENCES question_log (id),
  user_hash TEXT NOT NULL,
  good INTEGER NOT NULL CHECK (good IN (0, 1)),
  reason TEXT,
  rated_at INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_hash)
);
CREATE INDEX answer_ratings_user ON answer_ratings (user_hash);
CREATE INDEX answer_ratings_time ON answer_ratings (rated_at);
`,
  },
  {
    version: 5,
    name: 'post marks: each quiz post is recorded once delivered, so a takeover re-posts a lost one',
    sql: `
ALTER TABLE quiz_questions ADD COLUMN posted_at INTEGER;
ALTER TABLE quiz_questions ADD COLUMN reveal_posted_at INTEGER;
ALTER TABLE quiz_sessions ADD COLUMN end_posted_at INTEGER;
-- what happened before this version was posted (or is past mending)
UPDATE quiz_questions SET posted_at = opened_at WHERE opened_at IS NOT NULL;
UPDATE quiz_questions SET reveal_posted_at = revealed_at WHERE revealed_at IS NOT NULL;
UPDATE quiz_sessions SET end_posted_at = COALESCE(ended_at, 0) WHERE status <> 'running';
-- a live quiz: running, or ended with its scoreboard still owed (its lease is kept until posted)
CREATE INDEX quiz_sessions_live ON quiz_sessions (lease_until)
  WHERE status = 'running' OR end_posted_at IS NULL;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
