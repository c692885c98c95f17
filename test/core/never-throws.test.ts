/**
 * `Router.handle` never throws and always answers with a valid Reply, whatever it is given:
 * library users can pass objects that are not a valid `Incoming` (the type does not stop
 * JavaScript callers), with getters that throw, or nothing at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/compose.js';
import type { Incoming, Reply } from '../../src/core/types.js';

const logged: string[] = [];
const router = createRouter({
  logger: { error: (_obj: unknown, msg?: string) => void logged.push(msg ?? '') },
});

function expectValidReply(reply: Reply): void {
  expect(['answer', 'clarify', 'none', 'info', 'error']).toContain(reply.kind);
  expect(['zh', 'en']).toContain(reply.lang);
  expect(Array.isArray(reply.paragraphs)).toBe(true);
  for (const p of reply.paragraphs) {
    expect(typeof p).toBe('string');
    expect(p.isWellFormed()).toBe(true);
  }
}

const handle = (x: unknown) => router.handle(x as Incoming);

const throwing = new Proxy(
  {},
  {
    get() {
      throw new Error('boom');
    },
    ownKeys() {
      throw new Error('boom');
    },
  },
);

describe('Router.handle never throws', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', '/topic 5'],
    ['text as a number', { platform: 'test', user: { id: 'u' }, channel: { id: 'c' }, text: 42 }],
    ['text with a throwing toString', { text: { toString: () => '/x' } }],
    ['a proxy that throws on every read', throwing],
    ['throwing fields', { user: throwing, channel: throwing, text: '/help', command: throwing }],
    ['command without options', { text: '', command: { name: 'topic' } }],
    [
      'command options of every type',
      { text: '', command: { name: 'topic', options: { n: [5] } } },
    ],
    ['options with a throwing getter', { text: '', command: { name: 'vram', options: throwing } }],
    ['files that are not files', { text: '/chunk size=5', files: ['a', null, { text: 3 }] }],
    ['a non-string command name', { text: '', command: { name: 5, options: {} } }],
  ])('answers %s with a valid reply', async (_name, input) => {
    expectValidReply(await handle(input));
  });

  it('answers a command with a value that throws when read', async () => {
    const options = {
      get n() {
        throw new Error('getter');
      },
    };
    const reply = await handle({ text: '', command: { name: 'topic', options } });
    expectValidReply(reply);
    expect(reply.kind).toBe('error');
  });

  it('property: any object at all, or a near-Incoming with arbitrary field values', async () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
    });
    const nearIncoming = fc.record(
      {
        platform: fc.oneof(fc.constantFrom('console', 'cli', 'discord', 'slack', 'test'), anything),
        user: fc.oneof(fc.record({ id: fc.oneof(fc.string(), anything) }), anything),
        channel: fc.oneof(fc.record({ id: fc.string(), isDM: fc.boolean() }), anything),
        text: fc.oneof(
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.constantFrom('/topic 5', '/chunk size=3 abc', '/vram 7b', '/help', '/tokens hi'),
          anything,
        ),
        command: fc.oneof(
          fc.record({
            name: fc.oneof(fc.constantFrom('topic', 'vram', 'chunk', 'tokens', 'help'), anything),
            options: fc.oneof(fc.dictionary(fc.string(), anything), anything),
          }),
          anything,
        ),
        lang: fc.oneof(fc.constantFrom('zh', 'en'), anything),
        files: fc.oneof(fc.array(fc.record({ name: anything, text: anything })), anything),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, nearIncoming), async (input) => {
        expectValidReply(await handle(input));
      }),
      { numRuns: 400 },
    );
    expect(logged).toEqual([]); // bad input is not a bug: nothing is logged as an error
  });
});
