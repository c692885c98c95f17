/** Tables as monospaced text (terminal output, Discord and Slack code blocks). */
import { maxOf } from '../../core/arrays.js';
import { displayWidth } from '../../core/width.js';

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** A monospaced table, columns padded by display width (CJK counts double). */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    maxOf([displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))]),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
