/**
 * `llm-tutor report --html FILE`: the report as one self-contained page that works offline.
 * The charts are drawn by Chart.js, read from its package at report time and inlined (its UMD
 * build, with its licence line); the report's numbers travel as JSON in a script element. A
 * Content-Security-Policy forbids every request, so nothing is fetched. Every user text is
 * escaped for HTML (tables) or drawn by Chart.js on a canvas (labels, never parsed as HTML).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Report, ReportQuestion } from './build.js';
import { distinctTexts } from './text.js';

/**
 * Chart.js's UMD build, as installed (a dependency of llm-tutor). The package does not export
 * the file, so it is found beside the entry point (`dist/chart.cjs`).
 */
export function chartJsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON that can stand inside a <script> element (no `</script>`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script's source made safe to inline: `</script` cannot close the element early. */
function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

const where = (q: ReportQuestion) =>
  q.topic === null ? '—' : `${q.topic}${q.section ? ` · ${q.section}` : ''}`;

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function clusterList(r: Report): string {
  if (r.declinedClusters.length === 0) return '<p class="empty">No declined questions.</p>';
  const times = (n: number) => (n > 1 ? ` <span class="count">×${n}</span>` : '');
  const items = r.declinedClusters.slice(0, 30).map((c) => {
    const [lead, ...others] = distinctTexts(c.questions);
    const rest = others
      .slice(0, 5)
      .map((x) => `<li>${escapeHtml(x.text)}${times(x.n)}</li>`)
      .join('');
    return `<li><span class="count">${c.size}×</span> ${escapeHtml(lead!.text)}${times(lead!.n)}${rest ? `<ul>${rest}</ul>` : ''}</li>`;
  });
  return `<ol class="clusters">${items.join('\n')}</ol>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1040px;padding:24px;color:#1f2328;background:#fff}
h1{margin:0 0 4px}h2{margin:32px 0 8px;font-size:18px}.meta{color:#59636e;margin:0}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}.card{border:1px solid #d1d9e0;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}.chart{position:relative;height:300px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.count{font-weight:600;color:#9a6700}.clusters li{margin:6px 0}.clusters ul{color:#59636e;font-size:13px}
.empty{color:#59636e}`;

function cards(r: Report): string {
  const t = r.totals;
  const card = (label: string, value: string) =>
    `<div class="card"><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
  return [
    card('questions', String(t.questions)),
    card('answered', String(t.answered)),
    card('did you mean', String(t.clarified)),
    card('declined', `${t.declined} (${Math.round(t.declinedShare * 100)}%)`),
    card('👍 / 👎', `${t.good} / ${t.bad}`),
  ].join('');
}

/** Draws the three charts; `window.reportCharts` lets a test find them. */
const CHARTS = `
const data = JSON.parse(document.getElementById('report-data').textContent);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
const cut = (s) => (s.length > 40 ? s.slice(0, 39) + '…' : s);
const count = { beginAtZero: true, ticks: { precision: 0 } };
window.reportCharts = [
  new Chart(document.getElementById('chart-days'), {
    type: 'bar',
    data: {
      labels: data.perDay.map((d) => d.day),
      datasets: [
        { label: 'answered', data: data.perDay.map((d) => d.answer), backgroundColor: '#1a7f37' },
        { label: 'did you mean', data: data.perDay.map((d) => d.clarify), backgroundColor: '#bf8700' },
        { label: 'declined', data: data.perDay.map((d) => d.none), backgroundColor: '#cf222e' },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, ...count } } },
  }),
  new Chart(document.getElementById('chart-topics'), {
    type: 'bar',
    data: {
      labels: data.perTopic.map((t) => t.topic + '. ' + cut(t.title)),
      datasets: [{ label: 'answers', data: data.perTopic.map((t) => t.answers), backgroundColor: '#0969da' }],
    },
    options: { indexAxis: 'y', scales: { x: count } },
  }),
  new Chart(document.getElementById('chart-clusters'), {
    type: 'bar',
    data: {
      labels: data.declinedClusters.slice(0, 10).map((c) => cut(c.questions[0].text)),
      datasets: [{ label: 'declined questions', data: data.declinedClusters.slice(0, 10).map((c) => c.size), backgroundColor: '#cf222e' }],
    },
    options: { indexAxis: 'y', scales: { x: count } },
  }),
];`;

function sections(r: Report): string {
  return `
<h2>Questions per day, by outcome</h2><div class="chart"><canvas id="chart-days"></canvas></div>
<h2>Answers per topic</h2><div class="chart"><canvas id="chart-topics"></canvas></div>
<h2>Declined questions, similar ones together</h2>
<p class="meta">Clustered by character n-gram cosine similarity ≥ ${r.clusterThreshold}; biggest first.</p>
<div class="chart"><canvas id="chart-clusters"></canvas></div>
${clusterList(r)}
<h2>👎 answers</h2>
${table(
  ['Question', 'Topic', 'Reason', 'Rated'],
  r.thumbsDown.map((d) => [
    d.question.text,
    where(d.question),
    d.reason ?? '',
    d.ratedAt.slice(0, 16).replace('T', ' '),
  ]),
  'No 👎 in this period.',
)}
<h2>Low-confidence answers (confidence &lt; ${r.lowConfidenceBelow})</h2>
${table(
  ['Question', 'Topic', 'Confidence'],
  r.lowConfidence.map((q) => [q.text, where(q), q.confidence.toFixed(2)]),
  'None.',
)}
<h2>Did-you-mean picks</h2>
${table(
  ['Question', 'Offered first', 'Picked'],
  r.picks.map((p) => [p.question.text, String(p.offered ?? '—'), String(p.picked)]),
  'None.',
)}
<h2>Per language</h2>
${table(
  ['Language', 'Questions', 'Answered', 'Declined'],
  r.perLang.map((l) => [l.lang, String(l.questions), String(l.answered), String(l.declined)]),
  'No questions.',
)}`;
}

/** The whole page. `chartJs`: Chart.js's UMD source (default: read from node_modules). */
export function renderHtmlReport(r: Report, chartJs: string = chartJsSource()): string {
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llm-tutor report — ${escapeHtml(r.generatedAt.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>llm-tutor report</h1>
<p class="meta">The last ${r.days} days: ${escapeHtml(r.since.slice(0, 10))} to ${escapeHtml(r.generatedAt.slice(0, 10))}.</p>
<div class="cards">${cards(r)}</div>
${sections(r)}
<script>${inlineScript(chartJs)}</script>
<script type="application/json" id="report-data">${scriptJson(r)}</script>
<script>${CHARTS}</script>
</body>
</html>
`;
}
