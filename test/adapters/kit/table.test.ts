/** The kit's monospaced table: columns padded by display width. */
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/adapters/kit/table.js';

describe('renderTable', () => {
  it('pads columns by display width (CJK counts double) and trims line ends', () => {
    expect(
      renderTable(
        ['term', 'GB'],
        [
          ['权重', '13.48'],
          ['kv', '1'],
        ],
      ),
    ).toBe(['term  GB', '----  -----', '权重  13.48', 'kv    1'].join('\n'));
  });

  it('copes with missing cells, empty rows and no rows', () => {
    expect(renderTable(['a', 'b'], [['x']])).toBe(['a  b', '-  -', 'x'].join('\n'));
    expect(renderTable(['a'], [])).toBe(['a', '-'].join('\n'));
    expect(renderTable([], [])).toBe(['', ''].join('\n'));
  });
});
