/** Slack payloads in the core's terms: mention text. */
import { describe, expect, it } from 'vitest';
import { cleanMentionText } from '../../../src/adapters/slack/incoming.js';

describe('incoming text', () => {
  it('strips mentions of the bot and decodes Slack escaping', () => {
    expect(cleanMentionText('<@UBOT> what is &lt;b&gt; &amp; co', 'UBOT')).toBe('what is <b> & co');
    expect(cleanMentionText('<@UBOT|tutor>  /topic 5', 'UBOT')).toBe('/topic 5');
    expect(cleanMentionText('hi <@UOTHER> <@UBOT>', 'UBOT')).toBe('hi <@UOTHER>');
    expect(cleanMentionText('<@UXYZ123> hello', undefined)).toBe('hello');
  });
});
