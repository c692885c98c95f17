/** /help and /lang. */
import { z } from 'zod';
import { commandUsage } from '../args.js';
import { defineCommand, option } from '../command.js';
import { unknownCommandText, userError } from '../errors.js';
import { t } from '../i18n.js';
import { optionsOf } from '../options.js';

export const helpCommand = defineCommand({
  name: 'help',
  description: {
    en: 'What I can do, or the options of one command',
    zh: '功能列表,或某个命令的用法',
  },
  schema: z.object({
    command: option(z.string().optional(), 'A command name, e.g. vram', '命令名,例如 vram'),
  }),
  positional: ['command'],
  examples: ['/help', '/help topic'],
  run: (args, ctx) => {
    const lang = ctx.lang;
    if (args.command) {
      const name = args.command.replace(/^[/／]/, '').toLowerCase();
      const cmd = ctx.commands.find((c) => c.name === name);
      if (!cmd) {
        return userError(lang, unknownCommandText(name, ctx.commands));
      }
      const options = optionsOf(cmd.schema);
      return {
        kind: 'info',
        lang,
        title: `/${cmd.name} — ${cmd.description[lang]}`,
        paragraphs: [commandUsage(cmd)],
        fields: options.map((o) => {
          const description = o.description[lang] || o.name;
          // a description that already names its default ("… Default full") is not repeated
          const saysDefault = /\bdefault\b|默认/i.test(description);
          const extra = [
            o.choices ? o.choices.join(' | ') : undefined,
            o.defaultValue !== undefined && !saysDefault
              ? t(lang, {
                  en: `default ${String(o.defaultValue)}`,
                  zh: `默认 ${String(o.defaultValue)}`,
                })
              : undefined,
          ].filter(Boolean);
          return {
            name: o.name,
            value: `${description}${extra.length ? ` (${extra.join('; ')})` : ''}`,
          };
        }),
        ...(cmd.examples?.length ? { code: { text: cmd.examples.join('\n') } } : {}),
        ...(cmd.helpTable ? { table: cmd.helpTable(lang) } : {}),
      };
    }
    return {
      kind: 'info',
      lang,
      title: t(lang, { en: 'llm-tutor — what I can do', zh: 'llm-tutor 能做什么' }),
      paragraphs: [
        t(lang, {
          en: 'Ask me about how large language models work, in Chinese or English — just type your question. Commands:',
          zh: '用中文或英文问我大模型相关的问题——直接输入问题即可。命令:',
        }),
      ],
      fields: ctx.commands.map((c) => ({ name: commandUsage(c), value: c.description[lang] })),
      hints: [
        t(lang, {
          en: 'Details of one command: /help <command>',
          zh: '查看某个命令的详细用法:/help <命令>',
        }),
      ],
    };
  },
});

export const langCommand = defineCommand({
  name: 'lang',
  description: { en: 'Set my reply language for you', zh: '设置回复语言' },
  schema: z.object({
    lang: option(
      z.enum(['zh', 'en', 'auto']),
      'zh, en, or auto (follow the language of each question)',
      'zh、en,或 auto(跟随每个问题的语言)',
    ),
  }),
  positional: ['lang'],
  examples: ['/lang zh', '/lang auto'],
  run: (args, ctx) => {
    ctx.conversation.lang = args.lang === 'auto' ? undefined : args.lang;
    const lang = args.lang === 'auto' ? ctx.lang : args.lang;
    return {
      kind: 'info',
      lang,
      paragraphs: [
        args.lang === 'auto'
          ? t(lang, {
              en: 'OK — I will answer in the language of each question.',
              zh: '好的——我会用每个问题的语言回答。',
            })
          : t(lang, {
              en: 'OK — I will answer you in English.',
              zh: '好的——之后我会用中文回答你。',
            }),
      ],
    };
  },
});
