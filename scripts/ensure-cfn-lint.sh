#!/usr/bin/env bash
# Finds cfn-lint (Python's CloudFormation linter; the npm package of that name is another tool) or
# gets it, then writes the command that runs it to .moto/cfn-lint-command, which the template test
# reads. Run by scripts/setup.mjs and .ci/run.
#
#   bash scripts/ensure-cfn-lint.sh           # quiet and fast when .moto/cfn-lint-command is still good
#   bash scripts/ensure-cfn-lint.sh --check   # look again
#
# Order: cfn-lint on the PATH; python3 -m cfnlint; pip into a venv under .moto/ (needs PyPI);
# otherwise say how to get it and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND_FILE=.moto/cfn-lint-command
VENV=.moto/cfn-lint-venv
say() { echo "ensure-cfn-lint: $*" >&2; }

check=false
[[ ${1:-} == --check ]] && check=true

is_cached_command_usable() {
  [[ -s $COMMAND_FILE && $COMMAND_FILE -nt ${BASH_SOURCE[0]} ]] || return 1
  local first
  read -r first _ <"$COMMAND_FILE"
  command -v "$first" >/dev/null
}

runs() { "$@" --version >/dev/null 2>&1; }

write_command() {
  mkdir -p .moto
  echo "$*" >"$COMMAND_FILE"
}

main() {
  if ! $check && is_cached_command_usable; then return 0; fi
  local found
  if found=$(command -v cfn-lint) && runs "$found"; then
    write_command "$found"
    return 0
  fi
  if command -v python3 >/dev/null && runs python3 -m cfnlint; then
    write_command "$(command -v python3)" -m cfnlint
    return 0
  fi
  if command -v python3 >/dev/null && python3 -m venv "$VENV" >/dev/null 2>&1 &&
    "$VENV/bin/pip" install -q --disable-pip-version-check --timeout 20 --retries 1 cfn-lint >/dev/null 2>&1 &&
    runs "$VENV/bin/cfn-lint"; then
    write_command "$PWD/$VENV/bin/cfn-lint"
    say "cfn-lint installed in $VENV"
    return 0
  fi
  rm -rf "$COMMAND_FILE" "$VENV"
  say "cfn-lint not found. Install it with:  pip install cfn-lint   (or pipx install cfn-lint, or your" \
    "distribution's cfn-lint package where it has one), then run this script again"
  return 1
}

main
