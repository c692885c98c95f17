/**
 * Slash-command data derived from the zod schemas, and registration (bulk PUT) against
 * the fake, which validates the payload like Discord (names, lengths, option order).
 */
import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildDiscordCommandData,
  discordCommandData,
  registerDiscordCommands,
} from '../../../src/adapters/discord/index.js';
import { defineCommand, option } from '../../../src/core/command.js';
import { parseConfig } from '../../../src/core/config.js';
import { defaultCommands } from '../../../src/core/index.js';
import { FAKE_IDS, FakeDiscord } from '../../fakes/discord.js';
import { fakeConfig, recordingLogger } from './helpers.js';

const data = discordCommandData(defaultCommands);
const byName = (name: string) => data.find((c) => c.name === name)!;
const optionsOf = (name: string) =>
  (byName(name).options ?? []) as APIApplicationCommandBasicOption[];

describe('discordCommandData', () => {
  it('has one slash command per registry command, in order', () => {
    expect(data.map((c) => c.name)).toEqual(defaultCommands.map((c) => c.name));
    for (const c of data) {
      expect(c.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('/topic: n is a required integer 1–10, section a string, lang a choice', () => {
    expect(optionsOf('topic')).toEqual([
      expect.objectContaining({
        name: 'n',
        type: T.Integer,
        required: true,
        min_value: 1,
        max_value: 10,
      }),
      expect.objectContaining({ name: 'section', type: T.String, required: false }),
      expect.objectContaining({
        name: 'lang',
        type: T.String,
        required: false,
        choices: [
          { name: 'zh', value: 'zh' },
          { name: 'en', value: 'en' },
        ],
      }),
    ]);
  });

  it('localizes descriptions for zh-CN and zh-TW', () => {
    const topic = byName('topic');
    expect(topic.description).toBe('Read one topic in full, or one section of it');
    expect(topic.description_localizations).toEqual({
      'zh-CN': '阅读一个主题的全文或其中一节',
      'zh-TW': '阅读一个主题的全文或其中一节',
    });
    const n = optionsOf('topic')[0]!;
    expect(n.description_localizations?.['zh-CN']).toBe('主题编号,1–10');
  });

  it('/vram: booleans, enums with choices, integers with bounds; descriptions cut to 100', () => {
    const vram = optionsOf('vram');
    const get = (n: string) => vram.find((o) => o.name === n)!;
    expect(get('explain').type).toBe(T.Boolean);
    expect(get('mode')).toMatchObject({ type: T.String, choices: expect.any(Array) });
    expect(get('zero')).toMatchObject({ type: T.Integer, min_value: 0, max_value: 3 });
    for (const o of vram) {
      expect(o.description.length).toBeLessThanOrEqual(100);
      expect(o.description_localizations?.['zh-CN']?.length).toBeLessThanOrEqual(100);
    }
    expect(get('model').description.endsWith('…')).toBe(true);
  });

  it('puts required options first, maps `file` to an attachment, drops options past 25', () => {
    const many = Object.fromEntries(
      Array.from({ length: 27 }, (_, i) => [
        `o${i}`,
        option(z.string().optional(), `opt ${i}`, `选项 ${i}`),
      ]),
    );
    const cmd = defineCommand({
      name: 'many',
      description: { en: 'Many options', zh: '很多选项' },
      schema: z.object({
        ...many,
        file: option(z.string().optional(), 'A file', '文件'),
        size: option(z.coerce.number().int().min(1), 'Size', '大小'),
        big: option(
          z.enum(Array.from({ length: 30 }, (_, i) => `v${i}`) as [string, ...string[]]),
          'Big enum',
          '大枚举',
        ),
      }),
      run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
    });
    const {
      data: [built],
      warnings,
    } = buildDiscordCommandData([cmd]);
    const options = built!.options as APIApplicationCommandBasicOption[];
    expect(options).toHaveLength(25);
    expect(options.slice(0, 2).map((o) => o.name)).toEqual(['size', 'big']);
    expect(options[1]).not.toHaveProperty('choices'); // 30 values: a free string
    expect(warnings.join()).toMatch(/left out .*file/);
    const withFile = defineCommand({
      name: 'chunky',
      description: { en: 'x', zh: 'x' },
      schema: z.object({ file: option(z.string().optional(), 'A file', '文件') }),
      run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
    });
    expect(discordCommandData([withFile])[0]!.options).toEqual([
      expect.objectContaining({ name: 'file', type: T.Attachment, required: false }),
    ]);
  });

  it('warns when a command exceeds 4000 characters in total', () => {
    const values = Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(100, 'v')) as [
      string,
      ...string[],
    ];
    const cmd = defineCommand({
      name: 'huge',
      description: { en: 'Huge', zh: '大' },
      schema: z.object({ pick: option(z.enum(values), 'Pick one', '选一个') }),
      run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
    });
    expect(buildDiscordCommandData([cmd]).warnings.join()).toMatch(
      /\/huge: \d+ characters; Discord takes 4000/,
    );
    expect(buildDiscordCommandData(defaultCommands).warnings).toEqual([]);
  });

  it('refuses names Discord would refuse', () => {
    for (const name of ['Topic', 'has space', '', 'x'.repeat(33)]) {
      const bad = defineCommand({
        name,
        description: { en: 'x', zh: 'x' },
        schema: z.object({}),
        run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
      });
      expect(() => discordCommandData([bad]), name).toThrow(/invalid/);
    }
  });

  it('property: any description is cut to 1–100 characters, never empty', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (en, zh) => {
        const cmd = defineCommand({
          name: 'p',
          description: { en, zh },
          schema: z.object({ a: option(z.string(), en, zh) }),
          run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
        });
        const [c] = discordCommandData([cmd]);
        const texts = [c!.description, ...Object.values(c!.description_localizations ?? {})];
        const opt = (c!.options ?? [])[0]!;
        texts.push(opt.description, ...Object.values(opt.description_localizations ?? {}));
        for (const t of texts) {
          expect(t!.length).toBeGreaterThanOrEqual(1);
          expect(t!.length).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('registerDiscordCommands (against the fake)', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('PUTs the derived commands to the guild, idempotently', async () => {
    const config = fakeConfig(fake);
    const logs = recordingLogger();
    const first = await registerDiscordCommands({
      config,
      commands: defaultCommands,
      guildId: FAKE_IDS.guild,
      logger: logs.logger,
    });
    expect(first).toEqual({ scope: 'guild', count: defaultCommands.length });
    const second = await registerDiscordCommands({
      config,
      commands: defaultCommands,
      guildId: FAKE_IDS.guild,
    });
    expect(second).toEqual(first);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[0]!.path).toBe(
      `/applications/${FAKE_IDS.application}/guilds/${FAKE_IDS.guild}/commands`,
    );
    expect(puts[0]!.body).toEqual(puts[1]!.body);
    expect(puts[0]!.body).toEqual(discordCommandData(defaultCommands));
    expect(puts[0]!.authorization).toMatch(/^Bot /);
    expect(fake.commands.get(FAKE_IDS.guild)!.map((c) => c.name)).toEqual(
      defaultCommands.map((c) => c.name),
    );
    expect(fake.failures).toEqual([]);
    expect(logs.text()).not.toContain(config.DISCORD_TOKEN!);
  });

  it('registers globally without a guild', async () => {
    const result = await registerDiscordCommands({
      config: fakeConfig(fake),
      commands: defaultCommands,
    });
    expect(result.scope).toBe('global');
    expect(fake.requests.at(-1)!.path).toBe(`/applications/${FAKE_IDS.application}/commands`);
  });

  it('says which variable is missing, and rejects a bad guild id', async () => {
    const bare = parseConfig({});
    if (!bare.ok) throw new Error('empty config should parse');
    await expect(
      registerDiscordCommands({ config: bare.config, commands: defaultCommands }),
    ).rejects.toThrow(/DISCORD_TOKEN .*DISCORD_APPLICATION_ID/);
    await expect(
      registerDiscordCommands({
        config: fakeConfig(fake),
        commands: defaultCommands,
        guildId: 'abc',
      }),
    ).rejects.toThrow(/numeric/);
  });

  it('the fake refuses what Discord refuses (optional before required) with a 400', async () => {
    const body = [
      {
        name: 'bad',
        description: 'x',
        options: [
          { name: 'a', description: 'a', type: T.String, required: false },
          { name: 'b', description: 'b', type: T.String, required: true },
        ],
      },
    ];
    const res = await fetch(`${fake.apiUrl}/v10/applications/${FAKE_IDS.application}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 50035 });
  });
});
