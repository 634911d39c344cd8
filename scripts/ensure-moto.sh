#!/usr/bin/env bash
# Finds moto server or gets it, in the order of TESTING.md ("Installing it"), then writes the command
# that starts it to .moto/command (and its version to .moto/version): tests, the demo and the
# benchmark read that one place and append `-H <host> -p <port>`.
#
#   bash scripts/ensure-moto.sh                 # quiet and fast when .moto/command is still good
#   bash scripts/ensure-moto.sh --check         # look again even if .moto/command exists
#   bash scripts/ensure-moto.sh --force-debian  # take the Debian bookworm route (tests that route)
#
# Exit 0 when moto is ready, 1 (with how to get it) when it is not.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MOTO_DIR=$ROOT/.moto
COMMAND_FILE=$MOTO_DIR/command
VERSION_FILE=$MOTO_DIR/version
PREFERRED_VERSION=5.2
DEBIAN_DEPS=(python3-boto3 python3-botocore python3-flask python3-flask-cors python3-werkzeug python3-xmltodict
  python3-responses python3-jinja2 python3-cryptography python3-dateutil python3-requests)

force_debian=false
check=false
for arg in "$@"; do
  case $arg in
    --force-debian) force_debian=true ;;
    --check) check=true ;;
    *) echo "usage: ensure-moto.sh [--check] [--force-debian]" >&2; exit 2 ;;
  esac
done

say() { echo "ensure-moto: $*" >&2; }

# The cache is trusted while the script is unchanged and every path the command names still exists:
# importing moto to check its version takes about a second, too slow to repeat before every test run.
is_cached_command_usable() {
  [[ -s $COMMAND_FILE && $COMMAND_FILE -nt ${BASH_SOURCE[0]} ]] || return 1
  local -a words
  eval "words=($(<"$COMMAND_FILE"))"
  local word
  for word in "${words[@]}"; do
    case $word in
      env | -m | moto.server) ;;
      PYTHONPATH=*) [[ -d ${word#PYTHONPATH=} ]] || return 1 ;;
      *) command -v "$word" >/dev/null || return 1 ;;
    esac
  done
}

write_command() { # version word...
  local version=$1
  shift
  mkdir -p "$MOTO_DIR"
  printf '%q ' "$@" | sed 's/ $//' >"$COMMAND_FILE"
  echo >>"$COMMAND_FILE"
  echo "$version" >"$VERSION_FILE"
  if [[ $version == unknown ]]; then
    say "warning: cannot tell moto's version; moto >= $PREFERRED_VERSION is preferred"
  elif [[ $(printf '%s\n%s\n' "$PREFERRED_VERSION" "$version" | sort -V | head -1) != "$PREFERRED_VERSION" ]]; then
    say "warning: moto $version < $PREFERRED_VERSION writes Auto Scaling CreatedTime without a time zone," \
      "which the JS SDK cannot parse; 'pip install \"moto[server]>=$PREFERRED_VERSION\"' avoids it"
  fi
}

# Step 1: a python3 that imports moto.server, or a moto_server on the PATH.
find_existing_moto() {
  local found
  if found=$(python3 -c 'import sys, moto, moto.server; print(moto.__version__, sys.executable)' 2>/dev/null); then
    # The interpreter's absolute path skips pyenv's shim on every start.
    write_command "${found%% *}" "${found#* }" -m moto.server
    return 0
  fi
  local server
  server=$(command -v moto_server) || return 1
  local shebang version=unknown
  shebang=$(head -c 200 "$server" | head -1)
  if [[ $shebang == '#!'*python* ]]; then
    version=$(${shebang#\#!} -c 'import moto; print(moto.__version__)' 2>/dev/null) || version=unknown
  fi
  write_command "$version" moto_server
}

# Step 2, Debian 12: moto is not packaged for bookworm, but trixie's architecture-independent
# python3-moto runs on bookworm's /usr/bin/python3. Its dependencies come from bookworm with apt;
# moto itself is only downloaded (never installed) through a private apt list, so the machine's
# sources, lists and package cache are left alone, and unpacked into .moto/root.
is_bookworm() {
  [[ -r /etc/os-release ]] && grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release
}

run_as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    say "need root (or password-less sudo) for: $*"
    return 1
  fi
}

install_debian_deps() {
  local -a missing=()
  local pkg
  for pkg in "${DEBIAN_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing with apt: ${missing[*]}"
  local -a install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}")
  # A fresh machine has empty package lists: update only when the install cannot find a package.
  run_as_root "${install[@]}" >/dev/null || { run_as_root apt-get update -qq && run_as_root "${install[@]}" >/dev/null; }
}

find_debian_mirror() {
  local uri=""
  [[ -r /etc/apt/sources.list.d/debian.sources ]] &&
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  [[ -z $uri && -r /etc/apt/sources.list ]] &&
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  echo "${uri:-http://deb.debian.org/debian}"
}

download_trixie_moto() {
  local apt_dir=$MOTO_DIR/apt
  rm -rf "$apt_dir" "$MOTO_DIR/root"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$MOTO_DIR/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(find_debian_mirror) trixie main" \
    >"$apt_dir/sources.list"
  local -a opts=(-qq -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Acquire::Languages=none)
  # As root apt fetches as user _apt, who may not be able to write into this checkout.
  [[ $EUID -eq 0 ]] && opts+=(-o APT::Sandbox::User=root)
  say "downloading python3-moto and python3-antlr4 from trixie into .moto/"
  # Called from an `if`, so errexit is off here: every step checks its own status.
  apt-get "${opts[@]}" update >/dev/null || return 1
  (cd "$apt_dir/debs" && apt-get "${opts[@]}" download python3-moto python3-antlr4 >/dev/null) || return 1
  local deb
  for deb in "$apt_dir"/debs/*.deb; do
    dpkg -x "$deb" "$MOTO_DIR/root" || return 1
  done
  rm -rf "$apt_dir/lists" "$apt_dir/cache"
}

get_moto_from_trixie() {
  local site=$MOTO_DIR/root/usr/lib/python3/dist-packages
  local probe=(env "PYTHONPATH=$site" /usr/bin/python3 -c 'import moto, moto.server; print(moto.__version__)')
  [[ -x /usr/bin/python3 ]] && command -v apt-get >/dev/null || { say "no /usr/bin/python3 or apt-get"; return 1; }
  install_debian_deps || return 1
  local version
  if ! version=$("${probe[@]}" 2>/dev/null); then
    download_trixie_moto || return 1
    version=$("${probe[@]}") || return 1
  fi
  write_command "$version" env "PYTHONPATH=$site" /usr/bin/python3 -m moto.server
  say "moto $version from Debian trixie is ready in .moto/"
}

main() {
  if ! $check && ! $force_debian && is_cached_command_usable; then
    return 0
  fi
  if ! $force_debian && find_existing_moto; then
    return 0
  fi
  if $force_debian || is_bookworm; then
    if get_moto_from_trixie; then
      return 0
    fi
    say "the Debian route failed (see above)"
  fi
  rm -f "$COMMAND_FILE"
  say "moto server not found. Install it with:  pip install 'moto[server]'   (then run this script again)"
  return 1
}

main
