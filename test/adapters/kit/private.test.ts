/** The kit's privacy rules: who may see a reply, and how it is sent. */
import { describe, expect, it } from 'vitest';
import {
  filesReachAudience,
  isPrivate,
  needsEphemeral,
} from '../../../src/adapters/kit/private.js';
import type { Reply } from '../../../src/core/types.js';

const reply = (over: Partial<Reply>): Reply => ({
  kind: 'answer',
  lang: 'en',
  paragraphs: [],
  ...over,
});

describe('private replies', () => {
  it('errors and ephemeral replies are private; answers are not', () => {
    expect(isPrivate(reply({ kind: 'error' }))).toBe(true);
    expect(isPrivate(reply({ ephemeral: true }))).toBe(true);
    expect(isPrivate(reply({}))).toBe(false);
    expect(isPrivate(reply({ ephemeral: false }))).toBe(false);
  });

  it('a private reply is ephemeral in a channel, an ordinary message in a DM', () => {
    expect(needsEphemeral(true, false)).toBe(true);
    expect(needsEphemeral(true, true)).toBe(false);
    expect(needsEphemeral(false, false)).toBe(false);
  });

  it('files go with a reply only where exactly its audience sees them', () => {
    expect(filesReachAudience(false, false)).toBe(true);
    expect(filesReachAudience(true, true)).toBe(true);
    expect(filesReachAudience(true, false)).toBe(false);
  });
});
