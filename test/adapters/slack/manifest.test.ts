/** The generated Slack app manifest: derived from the registry, valid per Slack's schema. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_BOT_SCOPES, slackManifest } from '../../../src/adapters/slack/index.js';
import { commandUsage } from '../../../src/core/args.js';
import { defaultCommands } from '../../../src/core/index.js';
import { testCommands } from './helpers.js';

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: { messages_tab_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: {
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape: boolean;
    }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

describe('slackManifest', () => {
  it('YAML and JSON say the same thing, and the commands are the registry', () => {
    const yaml = parse(slackManifest(defaultCommands)) as Manifest;
    const json = JSON.parse(slackManifest(defaultCommands, { format: 'json' })) as Manifest;
    expect(yaml).toEqual(json);
    // Slack's built-in /topic would shadow ours, so the manifest names it /tutor-topic
    expect(yaml.features.slash_commands.map((c) => c.command)).toEqual(
      defaultCommands.map((c) => (c.name === 'topic' ? '/tutor-topic' : `/${c.name}`)),
    );
    for (const [i, c] of defaultCommands.entries()) {
      const sc = yaml.features.slash_commands[i]!;
      expect(sc.description).toContain(c.description.en);
      expect(sc.description).toContain(c.description.zh);
      expect(sc.should_escape).toBe(false);
      if (sc.usage_hint) expect(commandUsage(c)).toContain(sc.usage_hint.replace(/ …$/, ''));
    }
    const topic = yaml.features.slash_commands.find((c) => c.command === '/tutor-topic')!;
    expect(topic.usage_hint).toBe('<n> [section] [lang=zh|en]');
  });

  it('HTTP mode: every request URL is the events endpoint; Socket Mode: none', () => {
    const http = parse(
      slackManifest(defaultCommands, { requestUrl: 'https://tutor.example.org/slack/events' }),
    ) as Manifest;
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toBe(
      'https://tutor.example.org/slack/events',
    );
    expect(http.settings.interactivity.request_url).toBe('https://tutor.example.org/slack/events');
    for (const c of http.features.slash_commands)
      expect(c.url).toBe('https://tutor.example.org/slack/events');
    const socket = parse(slackManifest(defaultCommands, { socketMode: true })) as Manifest;
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    for (const c of socket.features.slash_commands) expect(c.url).toBeUndefined();
  });

  it('asks for the scopes and events the adapter uses', () => {
    const m = parse(slackManifest(defaultCommands)) as Manifest;
    for (const scope of [
      'app_mentions:read',
      'chat:write',
      'commands',
      'im:history',
      'channels:history',
      'groups:history',
      'im:read',
      'im:write',
      'files:read',
    ]) {
      expect(m.oauth_config.scopes.bot).toContain(scope);
    }
    expect(m.oauth_config.scopes.bot).toEqual([...SLACK_BOT_SCOPES]);
    expect(m.settings.event_subscriptions.bot_events).toEqual([
      'app_mention',
      'message.im',
      'message.channels',
      'message.groups',
    ]);
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
    expect(m.features.bot_user.always_online).toBe(true);
  });

  it('fits the manifest schema limits, for any registry and name', () => {
    const m = parse(
      slackManifest([...defaultCommands, ...testCommands], { name: 'Study Buddy' }),
    ) as Manifest;
    expect(m.display_information.name).toBe('Study Buddy');
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(174);
    expect(m.display_information.long_description.length).toBeLessThanOrEqual(4000);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 35 }).filter((s) => s.trim().length > 0),
        fc.string({ maxLength: 5000 }),
        (name, long) => {
          const cmd = { ...defaultCommands[0]!, description: { en: long, zh: long } };
          const out = parse(slackManifest([cmd], { name })) as Manifest;
          expect(out.display_information.name).toBe(name.trim());
          for (const c of out.features.slash_commands) {
            expect(c.command.length).toBeLessThanOrEqual(32);
            expect(c.description.length).toBeLessThanOrEqual(2000);
            expect((c.usage_hint ?? '').length).toBeLessThanOrEqual(1000);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a command prefix avoids Slack built-ins such as /topic', () => {
    const m = parse(slackManifest(defaultCommands, { commandPrefix: 'tutor-' })) as Manifest;
    expect(m.features.slash_commands.map((c) => c.command)).toContain('/tutor-topic');
  });

  it('refuses what Slack would refuse', () => {
    expect(() => slackManifest(defaultCommands, { name: 'x'.repeat(36) })).toThrow(RangeError);
    expect(() => slackManifest(defaultCommands, { name: '  ' })).toThrow(RangeError);
    expect(() =>
      slackManifest(defaultCommands, { requestUrl: 'http://insecure.example/x' }),
    ).toThrow(/https/);
    expect(() =>
      slackManifest(defaultCommands, { commandPrefix: 'a-very-long-prefix-for-commands-' }),
    ).toThrow(/not a valid Slack command/);
    expect(() => slackManifest(defaultCommands, { commandPrefix: 'has space ' })).toThrow(
      RangeError,
    );
  });
});
