/**
 * The built-in `fsfreeze` scripts (SPEC §15), as the lines of an `AWS-RunShellScript` command.
 * Pure text: the app sends it, tests read it.
 *
 * The pre script freezes the mounted filesystems of the selected volumes only — found by their
 * NVMe id link (`nvme-Amazon_Elastic_Block_Store_vol…`, Nitro) or their device name (`/dev/sdf`,
 * which Xen calls `/dev/xvdf`), the disk and what sits on it (partitions, LVM) — and never `/` nor
 * a filesystem the SSM agent writes to (it must be able to run the thaw). Before the first freeze
 * it arms a watchdog, detached from the command, that thaws by itself `timeout + 30 s` later, so a
 * tool that dies mid-way cannot leave a filesystem frozen. The freeze is held in one state folder
 * (`/run/ebs-snapper-freeze`, made with `mkdir`, so two freezes never overlap): what was frozen
 * is written there before it is frozen, so a thaw never misses one.
 *
 * The post script thaws what the state folder lists (a filesystem that is not frozen any more is
 * fine), disarms the watchdog and removes the folder. It takes no parameters: a run that finds an
 * instance a crashed run froze sends it as it is.
 *
 * Every value that comes from AWS (volume ids, device names) or from a run (the run id) is
 * single-quoted for the shell.
 */

/** How long after the pre script's watchdog is armed it thaws, beyond the script timeout. */
export const WATCHDOG_GRACE_SECONDS = 30;

/** The folder on the instance that holds one freeze (tmpfs: a reboot thaws and clears it). */
const STATE = '/run/ebs-snapper-freeze';

/** The paths the SSM agent writes to: their filesystems are never frozen. */
export const SSM_AGENT_PATHS: readonly string[] = ['/var/lib/amazon/ssm', '/var/log/amazon/ssm'];

/** One volume of the set to freeze. */
export interface FreezeVolume {
  readonly volumeId: string;
  /** The device name EC2 reports for the attachment (`/dev/sdf`, `/dev/xvda`). */
  readonly device?: string;
}

export interface FreezeScriptInput {
  readonly volumes: readonly FreezeVolume[];
  /** The script timeout; the watchdog thaws `timeoutSeconds + 30` after it is armed. */
  readonly timeoutSeconds: number;
  /** Names this freeze (the run id): a watchdog thaws only the freeze that armed it. */
  readonly token: string;
}

/**
 * `value` as one single-quoted shell word: nothing in it is expanded.
 *
 * @example shellQuote("it's") // "'it'\\''s'"
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The seconds after which the watchdog of a freeze with this timeout thaws it. */
export const watchdogSeconds = (timeoutSeconds: number): number =>
  Math.ceil(timeoutSeconds) + WATCHDOG_GRACE_SECONDS;

/**
 * The pre script: freeze the selected volumes' filesystems. Exits 0 when they are frozen (or
 * none of them is mounted); otherwise thaws what it froze, disarms its watchdog and exits non-zero.
 *
 * @example fsfreezeScript({ volumes: [{ volumeId: 'vol-0abc', device: '/dev/sdf' }], timeoutSeconds: 30, token: runId })
 */
export function fsfreezeScript(input: FreezeScriptInput): string[] {
  const volumes = input.volumes.map(
    (v) => `  add_volume ${shellQuote(v.volumeId)} ${shellQuote(v.device ?? '')} || fail 2`,
  );
  return [
    '#!/bin/sh',
    '# ebs-snapper fsfreeze (pre): freeze the selected EBS volumes\u2019 filesystems, never / nor the SSM agent\u2019s.',
    'set -u',
    `STATE=${STATE}`,
    'DEV=/dev',
    `TOKEN=${shellQuote(input.token)}`,
    `WATCHDOG_SECONDS=${watchdogSeconds(input.timeoutSeconds)}`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'export PATH',
    ...THAW_FUNCTION,
    'fail() {',
    '  thaw_all',
    '  disarm',
    '  rm -rf "$STATE"',
    '  exit "$1"',
    '}',
    'if ! mkdir "$STATE" 2>/dev/null; then',
    '  echo "ebs-snapper: a freeze is already held ($STATE exists); the post script thaws it" >&2',
    '  exit 3',
    'fi',
    'printf \'%s\\n\' "$TOKEN" > "$STATE/token"',
    ': > "$STATE/frozen"',
    ': > "$STATE/found"',
    '# The filesystems the SSM agent writes to: it must be able to run the thaw.',
    ': > "$STATE/agent"',
    `for path in ${SSM_AGENT_PATHS.map(shellQuote).join(' ')}; do`,
    '  # Where it would be made, if it is not there yet: the nearest folder that is.',
    '  while [ ! -e "$path" ]; do path=$(dirname "$path"); done',
    '  findmnt -n -o TARGET --target "$path" >> "$STATE/agent"',
    'done',
    '# The block device of a volume: its NVMe id link (Nitro), else its device name (Xen: sdX is xvdX).',
    'device_of() {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    '  name=${2#/dev/}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    '  for candidate in "$DEV/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(printf \'%s\' "$1" | tr -d -)" "${name:+$DEV/$name}" "${name:+$DEV/xvd${name#sd}}"; do',
    '    if [ -n "$candidate" ] && [ -e "$candidate" ]; then readlink -f "$candidate"; return 0; fi',
    '  done',
    '  return 1',
    '}',
    '# The mounted filesystems of a volume: the disk, its partitions and what sits on them.',
    'add_volume() {',
    '  disk=$(device_of "$1" "$2") || { echo "ebs-snapper: no block device found for $1 ($2)" >&2; return 1; }',
    '  lsblk -nlpo NAME "$disk" | while IFS= read -r node; do',
    '    findmnt -n -o TARGET --first-only --source "$node" 2>/dev/null || true',
    '  done >> "$STATE/found"',
    '}',
    'disarm() {',
    '  pid=$(cat "$STATE/watchdog.pid" 2>/dev/null) || return 0',
    "  if tr '\\0' ' ' < \"/proc/$pid/cmdline\" 2>/dev/null | grep -q ebs-snapper-watchdog; then",
    '    kill -s TERM -- "-$pid" 2>/dev/null || kill -s TERM "$pid" 2>/dev/null',
    '  fi',
    '  return 0',
    '}',
    ...volumes,
    '# Armed before the first freeze: it thaws by itself if nothing else does.',
    'DETACH=setsid; command -v setsid > /dev/null || DETACH=nohup',
    '$DETACH sh -c \'sleep "$1"; [ "$(cat "$2/token" 2>/dev/null)" = "$3" ] || exit 0; while IFS= read -r m; do fsfreeze -u "$m" 2>/dev/null; done < "$2/frozen"; rm -rf "$2"\' ebs-snapper-watchdog "$WATCHDOG_SECONDS" "$STATE" "$TOKEN" < /dev/null > /dev/null 2>&1 &',
    'echo $! > "$STATE/watchdog.pid"',
    'skipped=0',
    'sort -u "$STATE/found" > "$STATE/targets"',
    'while IFS= read -r target; do',
    '  if [ "$target" = / ]; then',
    '    echo "not frozen: / (the root filesystem is never frozen)"; skipped=1; continue',
    '  fi',
    '  if grep -Fqx -- "$target" "$STATE/agent"; then',
    '    echo "not frozen: $target (the SSM agent writes there)"; skipped=1; continue',
    '  fi',
    '  printf \'%s\\n\' "$target" >> "$STATE/frozen"',
    '  if fsfreeze -f "$target"; then',
    '    echo "frozen: $target"',
    '  else',
    '    echo "ebs-snapper: could not freeze $target" >&2; fail 1',
    '  fi',
    'done < "$STATE/targets"',
    'if [ ! -s "$STATE/frozen" ] && [ "$skipped" = 1 ]; then',
    '  echo "ebs-snapper: nothing could be frozen (only / or the SSM agent\u2019s filesystem)" >&2; fail 4',
    'fi',
    'exit 0',
  ];
}

/** The post script: thaw what the state folder lists, disarm the watchdog. Always exits 0 once done. */
export function fsthawScript(): string[] {
  return [
    '#!/bin/sh',
    '# ebs-snapper fsfreeze (post): thaw what the pre script froze, disarm its watchdog.',
    'set -u',
    `STATE=${STATE}`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'export PATH',
    'if [ ! -d "$STATE" ]; then echo "nothing frozen"; exit 0; fi',
    ...THAW_FUNCTION,
    'thaw_all',
    'pid=$(cat "$STATE/watchdog.pid" 2>/dev/null || true)',
    'if [ -n "$pid" ] && tr \'\\0\' \' \' < "/proc/$pid/cmdline" 2>/dev/null | grep -q ebs-snapper-watchdog; then',
    '  kill -s TERM -- "-$pid" 2>/dev/null || kill -s TERM "$pid" 2>/dev/null',
    'fi',
    'rm -rf "$STATE"',
    'exit 0',
  ];
}

/** Thaw every filesystem listed; one that is not frozen (any more) is no failure. */
const THAW_FUNCTION: readonly string[] = [
  'thaw_all() {',
  '  [ -f "$STATE/frozen" ] || return 0',
  '  while IFS= read -r target; do',
  '    if fsfreeze -u "$target" 2>/dev/null; then echo "thawed: $target"; else echo "not frozen: $target"; fi',
  '  done < "$STATE/frozen"',
  '}',
];
