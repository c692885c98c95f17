/**
 * Renders a platform-neutral `Reply` as Slack Block Kit messages, within Slack's limits:
 * a header, sections (long text split across several), fields, code blocks for tables and
 * monospaced art, context for hints and actions for choices. A reply too big for one message
 * is split into several. All text that may come from a user is escaped (`&`, `<`, `>`), so
 * `<!channel>` or `<@U…>` in echoed text can never become a mention.
 */
import type { types } from '@slack/bolt';
import { appendAll } from '../../core/arrays.js';
import { cutIndex, sanitizeReply } from '../../core/sanitize.js';
import type { Lang, Reply } from '../../core/types.js';
import { lastBreak, renderTable, splitWith } from '../kit/index.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** Slack's documented limits (and one conservative budget for an undocumented one). */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Characters in a header's plain_text. */
  header: 150,
  /** Characters in a section's text. */
  sectionText: 3000,
  /** Fields per section. */
  fields: 10,
  /** Characters per field. */
  fieldText: 2000,
  /** Elements per context block. */
  contextElements: 10,
  /** Characters per context element (any text object). */
  contextText: 3000,
  /** Buttons per actions block. */
  buttons: 25,
  /** Characters of a button's label. */
  buttonText: 75,
  /** Characters of a button's value. */
  buttonValue: 2000,
  /** Characters of an action_id. */
  actionId: 255,
  /**
   * Total characters of text across a message's blocks. Slack rejects messages whose blocks
   * add up to roughly 12–13k characters (`msg_blocks_too_long`, undocumented; bolt-js #2509,
   * #2867), so stay well under.
   */
  messageChars: 10_000,
  /** The plain `text` fallback (Slack truncates `text` past 40,000). */
  fallbackText: 300,
} as const;

/** The prefix of every button's action_id; `block_actions` listeners match on it. */
export const CHOICE_ACTION_PREFIX = 'llm-tutor.choice.';
/** Buttons that ask for a reason first (`Choice.askReason`): a click opens a modal. */
export const REASON_ACTION_PREFIX = 'llm-tutor.reason.';

/** One message: blocks plus the plain-text fallback Slack uses for notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /**
   * Say in the message that `reply.files` are not attached (default true). Set it to
   * false when the caller uploads the files itself.
   */
  fileNote?: boolean;
}

/** Escape the three characters Slack treats as control characters in mrkdwn and `text`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undo Slack's escaping of incoming message text (`&lt;` → `<`, …). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Break points, best first: paragraphs, lines, sentence ends (both scripts), spaces, commas. */
const SEPARATORS = ['\n\n', '\n', '。', '！', '？', '. ', '; ', '；', ' ', '，', '、', ','];

/** A safe place to cut `s` at or before `max`: not inside an entity nor a grapheme cluster. */
function hardCut(s: string, max: number): number {
  let cut = cutIndex(s, max); // a code-point boundary only inside a cluster longer than `max`
  const amp = s.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 5) {
    const entity = /^&(amp|lt|gt);/.exec(s.slice(amp));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  return Math.max(cut, 1);
}

function bestCut(s: string, max: number): number {
  const at = lastBreak(s, max, SEPARATORS);
  return at >= 0 ? at : hardCut(s, max);
}

/**
 * Split (already escaped) text into pieces of at most `max` characters, preferring paragraph
 * breaks, then line breaks, sentence ends and spaces; never inside an entity (`&amp;`) or a
 * surrogate pair. The pieces joined give the input back.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 8) throw new RangeError('max must be at least 8');
  return splitWith(text, max, { cut: bestCut });
}

/** Cut plain text to `max` characters (code units) with an ellipsis. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, hardCut(text, max - 1))}…`;
}

function mrkdwn(text: string): types.MrkdwnElement {
  // verbatim: no automatic linking of URLs, channel names or mentions.
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Code-block sections: escaped, fences inside the text broken up, split by lines. */
function codeSections(text: string): string[] {
  const fence = 8; // "```\n" + "\n```"
  const body = escapeMrkdwn(text).replace(/```/g, '`\u200b`\u200b`');
  const pieces: string[] = [];
  let current = '';
  for (const line of body.split('\n')) {
    const parts = splitText(line || ' ', SLACK_LIMITS.sectionText - fence);
    for (const part of parts) {
      const next = current ? `${current}\n${part}` : part;
      if (next.length + fence > SLACK_LIMITS.sectionText) {
        pieces.push(current);
        current = part;
      } else current = next;
    }
  }
  if (current) pieces.push(current);
  return pieces.map((p) => `\`\`\`\n${p}\n\`\`\``);
}

/** Group escaped paragraphs into section texts of at most 3,000 characters. */
function paragraphSections(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    const text = escapeMrkdwn(p);
    if (!text.trim()) continue;
    const joined = current ? `${current}\n\n${text}` : text;
    if (joined.length <= SLACK_LIMITS.sectionText) {
      current = joined;
      continue;
    }
    if (current) out.push(current);
    current = '';
    const pieces = splitText(text, SLACK_LIMITS.sectionText);
    const last = pieces.pop() ?? '';
    appendAll(out, pieces);
    current = last;
  }
  if (current) out.push(current);
  return out.filter((s) => s.trim());
}

interface Unit {
  block: KnownBlock;
  chars: number;
}

function section(text: string): Unit {
  return { block: { type: 'section', text: mrkdwn(text) }, chars: text.length };
}

function fieldUnits(fields: NonNullable<Reply['fields']>): Unit[] {
  const units: Unit[] = [];
  let pending: types.MrkdwnElement[] = [];
  const flush = () => {
    if (!pending.length) return;
    units.push({
      block: { type: 'section', fields: pending },
      chars: pending.reduce((n, f) => n + f.text.length, 0),
    });
    pending = [];
  };
  for (const f of fields) {
    const name = escapeMrkdwn(f.name.trim());
    const value = escapeMrkdwn(f.value);
    const text = [name ? `*${name}*` : '', value].filter((s) => s.trim()).join('\n');
    if (!text) continue;
    if (text.length <= SLACK_LIMITS.fieldText) {
      pending.push(mrkdwn(text));
      if (pending.length === SLACK_LIMITS.fields) flush();
      continue;
    }
    // Too long for a field: the field becomes ordinary sections, in place.
    flush();
    for (const piece of splitText(text, SLACK_LIMITS.sectionText)) {
      if (piece.trim()) units.push(section(piece));
    }
  }
  flush();
  return units;
}

function contextUnits(texts: readonly string[]): Unit[] {
  const elements = texts
    .flatMap((h) => splitText(escapeMrkdwn(h), SLACK_LIMITS.contextText))
    .filter((s) => s.trim());
  const units: Unit[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.contextElements) {
    const group = elements.slice(i, i + SLACK_LIMITS.contextElements);
    units.push({
      block: { type: 'context', elements: group.map(mrkdwn) },
      chars: group.reduce((n, s) => n + s.length, 0),
    });
  }
  return units;
}

/** Buttons for choices; a choice whose action cannot fit a button becomes a hint line. */
function choiceUnits(choices: NonNullable<Reply['choices']>, lang: Lang): Unit[] {
  const buttons: Button[] = [];
  const overflow: string[] = [];
  choices.forEach((c, i) => {
    const label = truncate(c.label.trim() || c.action, SLACK_LIMITS.buttonText);
    if (c.action.length > SLACK_LIMITS.buttonValue || !c.action.trim()) {
      overflow.push(`${c.label}: ${c.action}`);
      return;
    }
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: label, emoji: true },
      value: c.action,
      action_id: `${c.askReason ? REASON_ACTION_PREFIX : CHOICE_ACTION_PREFIX}${i}`,
    });
  });
  const units: Unit[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.buttons) {
    const group = buttons.slice(i, i + SLACK_LIMITS.buttons);
    units.push({
      block: { type: 'actions', elements: group },
      chars: group.reduce((n, b) => n + b.text.text.length + (b.value?.length ?? 0), 0),
    });
  }
  if (overflow.length) {
    const intro = lang === 'zh' ? '也可以直接输入:' : 'You can also type:';
    appendAll(units, contextUnits([intro, ...overflow]));
  }
  return units;
}

function fileNote(files: NonNullable<Reply['files']>, lang: Lang): string[] {
  return files.map((f) => {
    const kb = Math.max(1, Math.round(Buffer.byteLength(f.content, 'utf8') / 1024));
    return lang === 'zh'
      ? `📎 ${f.name}(${kb} KB)无法在 Slack 中附上;在终端运行 llm-tutor 可以得到完整文件。`
      : `📎 ${f.name} (${kb} KB) cannot be attached in Slack; run llm-tutor in a terminal for the full file.`;
  });
}

/** The plain-text fallback: the title and the first paragraph, short and escaped. */
export function fallbackText(reply: Reply): string {
  const first =
    reply.paragraphs.find((p) => p.trim()) ??
    reply.fields?.[0]?.value ??
    reply.code?.text ??
    reply.choices?.map((c) => c.label).join(', ') ??
    '';
  const plain = [reply.title, first]
    .filter((s): s is string => Boolean(s?.trim()))
    .join(' — ')
    .replace(/\s+/g, ' ')
    .trim();
  return escapeMrkdwn(truncate(plain || 'llm-tutor', SLACK_LIMITS.fallbackText));
}

/** All blocks of a reply, in reading order, before they are packed into messages. */
function units(reply: Reply, options: RenderOptions): Unit[] {
  const out: Unit[] = [];
  const title = reply.title?.replace(/\s+/g, ' ').trim();
  if (title) {
    const header = truncate(title, SLACK_LIMITS.header);
    out.push({
      block: { type: 'header', text: { type: 'plain_text', text: header, emoji: true } },
      chars: header.length,
    });
    // A title cut short is repeated in full, so nothing is lost.
    if (header !== title) {
      for (const piece of splitText(escapeMrkdwn(title), SLACK_LIMITS.sectionText)) {
        out.push(section(piece));
      }
    }
  }
  appendAll(out, paragraphSections(reply.paragraphs).map(section));
  if (reply.fields?.length) appendAll(out, fieldUnits(reply.fields));
  if (reply.table) {
    appendAll(out, codeSections(renderTable(reply.table.headers, reply.table.rows)).map(section));
  }
  if (reply.code?.text) appendAll(out, codeSections(reply.code.text).map(section));
  if (reply.choices?.length) appendAll(out, choiceUnits(reply.choices, reply.lang));
  const context = [...(reply.hints ?? [])];
  if (reply.files?.length && options.fileNote !== false) {
    appendAll(context, fileNote(reply.files, reply.lang));
  }
  if (context.length) appendAll(out, contextUnits(context));
  return out;
}

/**
 * Render a Reply as one or more Slack messages. Each message has at most 50 blocks and
 * about 10,000 characters of text, every block within its own limits, and a plain `text`
 * fallback; a long reply continues in the next message, in order, with nothing dropped.
 */
export function renderReply(input: Reply, options: RenderOptions = {}): SlackMessage[] {
  const reply = sanitizeReply(input);
  const all = units(reply, options);
  const pages: KnownBlock[][] = [];
  let blocks: KnownBlock[] = [];
  let chars = 0;
  for (const unit of all) {
    if (
      blocks.length > 0 &&
      (blocks.length + 1 > SLACK_LIMITS.blocks || chars + unit.chars > SLACK_LIMITS.messageChars)
    ) {
      pages.push(blocks);
      blocks = [];
      chars = 0;
    }
    blocks.push(unit.block);
    chars += unit.chars;
  }
  if (blocks.length) pages.push(blocks);
  const fallback = fallbackText(reply);
  if (!pages.length) pages.push([section(fallback).block]);
  return pages.map((page, i) => ({
    text: pages.length > 1 ? `(${i + 1}/${pages.length}) ${fallback}` : fallback,
    blocks: page,
  }));
}
