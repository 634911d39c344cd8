/**
 * The built-in fsfreeze scripts as text: they name exactly the selected volumes, quote what comes
 * from AWS, never name `/` as something to freeze, and arm the watchdog before the first freeze.
 * (test/integration/fsfreeze-script.test.ts runs them in a shell.)
 */
import { describe, expect, it } from 'vitest';
import {
  fsfreezeScript,
  fsthawScript,
  shellQuote,
  WATCHDOG_GRACE_SECONDS,
  watchdogSeconds,
} from './fsfreeze-script.js';

const text = (lines: readonly string[]) => lines.join('\n');

describe('fsfreezeScript', () => {
  it('looks for exactly the selected volumes, by NVMe id and device name', () => {
    // Prepare / Act
    const script = text(
      fsfreezeScript({
        volumes: [
          { volumeId: 'vol-0aaa', device: '/dev/sdf' },
          { volumeId: 'vol-0bbb', device: '/dev/xvdg' },
        ],
        timeoutSeconds: 30,
        token: '20261129T030000Z-800000',
      }),
    );

    // Assess
    expect([...script.matchAll(/^ {2}add_volume (.*) \|\| fail 2$/gm)].map((m) => m[1])).toEqual([
      "'vol-0aaa' '/dev/sdf'",
      "'vol-0bbb' '/dev/xvdg'",
    ]);
    expect(script).toContain(
      '"$DEV/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(printf \'%s\' "$1" | tr -d -)"',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    expect(script).toContain('"${name:+$DEV/xvd${name#sd}}"');
    expect(script).toMatch(/^DEV=\/dev$/m);
  });

  it('never names / as a target: it only skips it, and the SSM agent’s filesystems', () => {
    // Prepare / Act
    const script = text(fsfreezeScript({ volumes: [{ volumeId: 'vol-1' }], timeoutSeconds: 30, token: 't' }));

    // Assess
    const freezes = script.split('\n').filter((line) => /fsfreeze -f/.test(line));
    expect(freezes).toEqual(['  if fsfreeze -f "$target"; then']);
    expect(script).toMatch(/if \[ "\$target" = \/ \]; then\n\s+echo "not frozen: \/.*continue/);
    expect(script).toContain("for path in '/var/lib/amazon/ssm' '/var/log/amazon/ssm'; do");
    expect(script).toContain('grep -Fqx -- "$target" "$STATE/agent"');
  });

  it('arms the watchdog at timeout + 30 s before the first freeze, and records each target before freezing it', () => {
    // Prepare / Act
    const lines = fsfreezeScript({ volumes: [{ volumeId: 'vol-1' }], timeoutSeconds: 45, token: 't' });
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));

    // Assess
    expect(lines).toContain(`WATCHDOG_SECONDS=${45 + WATCHDOG_GRACE_SECONDS}`);
    expect(watchdogSeconds(45)).toBe(75);
    expect(at(/ebs-snapper-watchdog "\$WATCHDOG_SECONDS"/)).toBeGreaterThan(0);
    expect(at(/ebs-snapper-watchdog "\$WATCHDOG_SECONDS"/)).toBeLessThan(at(/fsfreeze -f/));
    expect(at(/>> "\$STATE\/frozen"/)).toBeLessThan(at(/fsfreeze -f/));
  });

  it('quotes every value so that nothing in it is run', () => {
    // Prepare
    const hostile = "vol-1'; rm -rf / #";

    // Act
    const script = text(
      fsfreezeScript({
        volumes: [{ volumeId: hostile, device: '$(reboot)' }],
        timeoutSeconds: 30,
        token: "`x`'",
      }),
    );

    // Assess
    expect(script).toContain(`  add_volume 'vol-1'\\''; rm -rf / #' '$(reboot)' || fail 2`);
    expect(script).toContain(`TOKEN='\`x\`'\\'''`);
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('fsthawScript', () => {
  it('thaws what the state lists, tolerates what is not frozen, and disarms only its own watchdog', () => {
    // Prepare / Act
    const script = text(fsthawScript());

    // Assess
    expect(script).toContain(
      'if fsfreeze -u "$target" 2>/dev/null; then echo "thawed: $target"; else echo "not frozen: $target"; fi',
    );
    expect(script).toContain('grep -q ebs-snapper-watchdog');
    expect(script).toMatch(/rm -rf "\$STATE"\nexit 0$/);
  });
});
