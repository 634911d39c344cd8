#!/usr/bin/env bash
# The one way to start moto server outside the test helper (demo, benchmark, by hand):
#   bash scripts/moto-command.sh                          # prints the command from .moto/command
#   bash scripts/moto-command.sh -H 127.0.0.1 -p 5000     # runs moto server with these arguments
# It runs scripts/ensure-moto.sh first, which is instant when moto is already known.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-moto.sh
command=$(<.moto/command)
if (($# == 0)); then
  echo "$command"
  exit 0
fi
# exec keeps one process: whoever started this script can stop moto with its pid.
eval "exec $command \"\$@\""
