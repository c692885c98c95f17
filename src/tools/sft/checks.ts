/**
 * Per-record checks on normalized turns: empty responses, responses that only repeat the
 * prompt, a broken system/user/assistant order, and chat-template markup whose end-of-turn
 * token is missing (the model would never learn to stop: the pad = EOS pitfall of topic 8).
 */
import type { Problem, Turn } from './formats.js';

/** Chat templates whose markup is recognised inside the text. */
export const TEMPLATES = {
  chatml: { label: 'ChatML (Qwen)', start: '<|im_start|>', end: '<|im_end|>' },
  llama3: { label: 'Llama 3', start: '<|start_header_id|>', end: '<|eot_id|>' },
  llama2: { label: 'Llama 2', start: '[INST]', end: '</s>' },
} as const;
export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

/** Lower-case, whitespace and punctuation collapsed: what "the same text" means here. */
export function looseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

/** Assistant turns that are empty or only whitespace (1-based turn numbers). */
export function emptyResponses(turns: readonly Turn[]): number[] {
  const out: number[] = [];
  turns.forEach((t, i) => {
    if (t.role === 'assistant' && t.text.trim() === '') out.push(i + 1);
  });
  return out;
}

/**
 * Assistant turns that only repeat the user turn before them: the same text once case,
 * whitespace and punctuation are ignored, or the prompt with at most a few characters cut.
 */
export function repeatedPrompts(turns: readonly Turn[]): number[] {
  const out: number[] = [];
  let user: string | undefined;
  turns.forEach((t, i) => {
    if (t.role === 'user') user = t.text;
    else if (t.role === 'assistant' && user !== undefined) {
      // cheap test first: a repeat is about as long as the prompt
      if (t.text.length < 0.5 * user.length || t.text.length > 2 * user.length + 8) return;
      const prompt = looseText(user);
      const answer = looseText(t.text);
      const repeats =
        answer.length > 0 &&
        (answer === prompt || (prompt.includes(answer) && answer.length >= 0.9 * prompt.length));
      if (repeats) out.push(i + 1);
    }
  });
  return out;
}

/** Where the system/user/assistant order breaks, as messages (empty when it holds). */
export function orderProblems(turns: readonly Turn[]): Problem[] {
  const out: Problem[] = [];
  let previous: Turn | undefined;
  let sawDialogue = false;
  turns.forEach((t, i) => {
    const n = i + 1;
    if (t.role === 'unknown') {
      out.push({
        en: `turn ${n} has an unknown role "${t.raw}" (use system, user or assistant)`,
        zh: `第 ${n} 轮的角色 "${t.raw}" 无法识别（应为 system、user 或 assistant）`,
      });
    } else if (t.role === 'system' && i > 0) {
      out.push({
        en: `turn ${n} is a system message; a system message may only come first`,
        zh: `第 ${n} 轮是 system 消息；system 只能放在第一条`,
      });
    } else if ((t.role === 'user' || t.role === 'assistant') && previous?.role === t.role) {
      out.push({
        en: `turns ${n - 1} and ${n} are both ${t.role}; user and assistant must alternate`,
        zh: `第 ${n - 1} 轮和第 ${n} 轮都是 ${t.role}；user 和 assistant 必须交替`,
      });
    } else if (t.role === 'assistant' && !sawDialogue) {
      out.push({
        en: `turn ${n} is an assistant reply before any user message`,
        zh: `第 ${n} 轮的 assistant 回复出现在任何 user 消息之前`,
      });
    }
    if (t.role === 'user') sawDialogue = true;
    if (t.role !== 'tool') previous = t;
  });
  const last = turns[turns.length - 1];
  if (last && last.role !== 'assistant' && last.role !== 'unknown') {
    out.push({
      en: `the conversation ends with a ${last.role} turn, so there is no response to train on`,
      zh: `对话以 ${last.role} 结束，没有可以训练的回复`,
    });
  }
  return out;
}

function count(text: string, token: string): number {
  let n = 0;
  for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length)) n++;
  return n;
}

/**
 * Chat-template markup written into the text: every turn it opens must be closed by the
 * template's end-of-turn token, or the trained model never learns to stop. `only` limits the
 * check to one template; otherwise every known template is looked for.
 */
export function templateProblems(turns: readonly Turn[], only?: TemplateName): Problem[] {
  const out: Problem[] = [];
  const names = only ? [only] : TEMPLATE_NAMES;
  for (const name of names) {
    const tpl = TEMPLATES[name];
    let opened = 0;
    let closed = 0;
    for (const t of turns) {
      opened += count(t.text, tpl.start);
      closed += count(t.text, tpl.end);
    }
    if (opened === 0) continue;
    if (closed < opened) {
      out.push({
        en: `${tpl.label} markup: ${opened} turn(s) opened with ${tpl.start} but ${closed} closed with ${tpl.end}; without the end-of-turn token the model never learns to stop (pad = EOS pitfall)`,
        zh: `${tpl.label} 模板标记：有 ${opened} 轮以 ${tpl.start} 开始，但只有 ${closed} 轮以 ${tpl.end} 结束；缺少轮末标记，模型学不会停止（pad = EOS 陷阱）`,
      });
    }
  }
  return out;
}
