/** The kit's file intake: the wants-a-file rule, the 2 MiB limit, UTF-8 with a clear error. */
import { describe, expect, it } from 'vitest';
import {
  fetchTextFiles,
  MAX_FILE_BYTES,
  type RemoteFile,
  wantsFile,
} from '../../../src/adapters/kit/files.js';
import { createRouter } from '../../../src/compose.js';
import type { Reply } from '../../../src/core/types.js';

const bodies = new Map<string, Uint8Array | string>();
let requests: { url: string; headers: unknown }[] = [];
const fakeFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  requests.push({ url, headers: init?.headers });
  if (url.endsWith('/throws')) throw new Error('network down');
  const body = bodies.get(url);
  if (body === undefined) return new Response('missing', { status: 404 });
  if (url.endsWith('.html'))
    return new Response(body, { headers: { 'content-type': 'text/html' } });
  return new Response(body);
};

const file = (name: string, body: Uint8Array | string, size?: number): RemoteFile => {
  const url = `http://files.test/${name}`;
  bodies.set(url, body);
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return { name, url, size: size ?? bytes };
};

const textOf = (r: Reply) => r.paragraphs.join('\n');

async function refusal(files: RemoteFile[], lang: 'en' | 'zh' = 'en', extra = {}) {
  const got = await fetchTextFiles(files, { lang, fetch: fakeFetch, ...extra });
  if (got.ok) throw new Error('expected a refusal');
  expect(got.reply).toMatchObject({ kind: 'error', ephemeral: true, lang });
  return textOf(got.reply);
}

describe('wantsFile', () => {
  const router = createRouter();
  it('is true for a command with a file option, false otherwise', () => {
    expect(wantsFile(router, '/chunk size=100')).toBe(true);
    expect(wantsFile(router, '/topic 2')).toBe(false);
    expect(wantsFile(router, 'what is LoRA?')).toBe(false);
    expect(wantsFile(router, '/nosuchcommand')).toBe(false);
    expect(wantsFile(router, '')).toBe(false);
  });
});

describe('fetchTextFiles', () => {
  it('downloads text files with the given headers', async () => {
    requests = [];
    const got = await fetchTextFiles([file('a.txt', 'abc'), file('b.md', '# B')], {
      lang: 'en',
      fetch: fakeFetch,
      headers: { Authorization: 'Bearer x' },
    });
    expect(got).toEqual({
      ok: true,
      files: [
        { name: 'a.txt', text: 'abc' },
        { name: 'b.md', text: '# B' },
      ],
    });
    expect(requests[0]!.headers).toEqual({ Authorization: 'Bearer x' });
  });

  it('refuses a file announced over the limit without downloading it', async () => {
    requests = [];
    const text = await refusal([file('big.txt', 'x', 3 * 1024 * 1024)]);
    expect(text).toContain('"big.txt" is 3,145,728 bytes; the limit is 2,097,152 bytes (2 MiB)');
    expect(text).toContain('llm-tutor chunk < file');
    expect(requests).toEqual([]);
  });

  it('caps the download when the announced size lies', async () => {
    const text = await refusal([file('liar.txt', 'y'.repeat(MAX_FILE_BYTES + 10), 100)]);
    expect(text).toContain('"liar.txt" is more than 2,097,152 bytes, the limit (2 MiB)');
  });

  it('counts the limit across all the files of a message', async () => {
    const half = 'z'.repeat(MAX_FILE_BYTES / 2 + 1);
    const text = await refusal([file('one.txt', half), file('two.txt', half)]);
    expect(text).toContain('With "two.txt" the attachments come to');
  });

  it('refuses what is not UTF-8 text, saying how to fix it', async () => {
    expect(await refusal([file('image.png', Buffer.from([0x89, 0x50, 0, 0xff]))])).toBe(
      '"image.png" is not a UTF-8 text file (.txt/.md). Save it as UTF-8 and attach it again.',
    );
    expect(await refusal([{ ...file('x.bin', 'abc'), isText: false }])).toContain(
      'is not a text file. Attach a .txt or .md file (UTF-8), or paste the text.',
    );
  });

  it('says when a file cannot be downloaded', async () => {
    const failed = /I could not download "\S+". Please try again, or paste the text./;
    expect(await refusal([{ name: 'nourl.txt', url: undefined, size: 3 }])).toMatch(failed);
    expect(await refusal([{ name: 'gone.txt', url: 'http://files.test/gone', size: 3 }])).toMatch(
      failed,
    );
    expect(await refusal([{ name: 'x.txt', url: 'http://files.test/throws', size: 3 }])).toMatch(
      failed,
    );
    const login = file('login.html', '<html>sign in</html>');
    const accept = (res: Response) => !res.headers.get('content-type')?.includes('text/html');
    expect(await refusal([login], 'en', { accept })).toMatch(failed);
  });

  it('answers in Chinese when asked to', async () => {
    const text = await refusal([file('图.png', Buffer.from([0xff, 0xfe]))], 'zh');
    expect(text).toBe('"图.png" 不是 UTF-8 文本文件(.txt/.md)。请另存为 UTF-8 后重新上传。');
  });

  it('honours a smaller limit', async () => {
    const text = await refusal([file('small.txt', 'abcdef')], 'en', { maxBytes: 4 });
    expect(text).toContain('is 6 bytes; the limit is 4 bytes');
  });
});
