/** Who counts as a moderator on Discord: Manage Messages or Administrator, from any bitfield. */
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasModeratorPermission } from '../../../src/adapters/discord/incoming.js';

const MOD_BITS = PermissionFlagsBits.ManageMessages | PermissionFlagsBits.Administrator;

describe('hasModeratorPermission', () => {
  it('is true exactly when Manage Messages or Administrator is set', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }), (bits) => {
        const permissions = new PermissionsBitField(bits).freeze();
        expect(hasModeratorPermission(permissions)).toBe((bits & MOD_BITS) !== 0n);
      }),
    );
  });

  it('unknown permissions (a DM, a partial member) are not a moderator', () => {
    expect(hasModeratorPermission(null)).toBe(false);
    expect(hasModeratorPermission(undefined)).toBe(false);
    expect(hasModeratorPermission(new PermissionsBitField(0n))).toBe(false);
    expect(hasModeratorPermission(new PermissionsBitField(PermissionFlagsBits.ManageGuild))).toBe(
      false,
    );
  });
});
