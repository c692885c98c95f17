/** The kit's language rules: locale first, then the text. */
import { describe, expect, it } from 'vitest';
import { langOfLocale, replyLang } from '../../../src/adapters/kit/lang.js';

describe('language from locale', () => {
  it('maps Slack locales to a language', () => {
    expect(langOfLocale('zh-CN')).toBe('zh');
    expect(langOfLocale('zh-TW')).toBe('zh');
    expect(langOfLocale('en-GB')).toBe('en');
    expect(langOfLocale('ja-JP')).toBeUndefined();
    expect(langOfLocale(undefined)).toBeUndefined();
  });
});

describe('locales of every platform', () => {
  it('reads Discord, Slack and terminal spellings, in any case', () => {
    expect(langOfLocale('zh_CN.UTF-8')).toBe('zh');
    expect(langOfLocale('ZH-hk')).toBe('zh');
    expect(langOfLocale('en_US.UTF-8')).toBe('en');
    expect(langOfLocale('en-US')).toBe('en');
  });

  it('knows nothing from an empty, missing or foreign locale', () => {
    expect(langOfLocale('')).toBeUndefined();
    expect(langOfLocale(null)).toBeUndefined();
    expect(langOfLocale('C.UTF-8')).toBeUndefined();
    expect(langOfLocale('fr-FR')).toBeUndefined();
  });
});

describe('replyLang', () => {
  it('keeps a known language, whatever the text', () => {
    expect(replyLang('en', '显存')).toBe('en');
    expect(replyLang('zh', 'memory')).toBe('zh');
  });

  it('detects Chinese in the text when the language is unknown', () => {
    expect(replyLang(undefined, '/chunk 全参数微调')).toBe('zh');
    expect(replyLang(undefined, '/chunk size=10')).toBe('en');
    expect(replyLang(undefined, '')).toBe('en');
  });
});
