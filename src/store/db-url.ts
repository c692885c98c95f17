/**
 * What `LLM_TUTOR_DB` names: a PostgreSQL URL (`postgres://` or `postgresql://`), another
 * URL (refused: it must never become a file path), or a SQLite file path. And how to show a
 * URL without its password. No driver is loaded here.
 */

/** `postgres:…` or `postgresql:…` (any case): the PostgreSQL store, never a file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:/i.test(value.trim());
}

/** Anything of the form `scheme://…`: a URL, not a file path. */
export function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim());
}

/** Where a PostgreSQL URL points, for messages (never the password). */
export interface PgTarget {
  host: string;
  port: string;
  database: string;
  user: string;
}

/**
 * Parse a PostgreSQL URL, or say what is wrong with it (without repeating it: it may hold a
 * password). `host=` in the query (a Unix socket folder) stands for the host.
 */
export function parsePgUrl(
  value: string,
): { ok: true; target: PgTarget } | { ok: false; error: string } {
  const expected = 'expected postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, error: `it is not a valid URL (${expected})` };
  }
  if (!/^postgres(ql)?:$/i.test(url.protocol)) {
    return { ok: false, error: `it is not a postgres:// URL (${expected})` };
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    return { ok: false, error: `it names no database (${expected})` };
  }
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  if (url.port && !/^\d+$/.test(url.port)) return { ok: false, error: `bad port (${expected})` };
  return {
    ok: true,
    target: {
      host,
      port: url.port || '5432',
      database,
      user: decodeURIComponent(url.username) || '(the system user)',
    },
  };
}

/** The value of `LLM_TUTOR_DB` as it may be printed: a URL's password (and query) hidden. */
export function shownDbValue(value: string): string {
  if (!looksLikeUrl(value) && !isPostgresUrl(value)) return value;
  try {
    const url = new URL(value.trim());
    if (url.password) url.password = '***';
    const hadQuery = url.search !== '';
    url.search = '';
    return hadQuery ? `${url.toString()}?…` : url.toString();
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value.trim())?.[0] ?? '';
    return `${scheme}… (not shown: it may hold a password)`;
  }
}
