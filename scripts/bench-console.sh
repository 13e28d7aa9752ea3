#!/usr/bin/env bash
# The console's memory and idle CPU on the demo world (issue 14's third aim): opens `cks` in a detached tmux
# window, waits for the stores to be on screen and the first answers to settle, then prints its resident memory
# (VmRSS, PSS), its resident set each second for 40 s and the CPU ticks it used, then over 10 more idle
# seconds; then opens the first store's detail, goes back, and prints the memory again.
#
# Usage: scripts/bench-console.sh [cks]    (default .build/release/cks)
# Needs: tmux. Leaves nothing behind.
set -euo pipefail
CKS="$(realpath "${1:-.build/release/cks}")"
W=$(mktemp -d /tmp/bench-console.XXXXXX)
S=bench-console-$$
trap 'tmux kill-session -t $S 2>/dev/null; rm -rf "$W"' EXIT
tmux new-session -d -s $S -x 160 -y 45 "exec env CKS_HOME=$W CKS_PACE=demo $CKS"
PID=$(tmux list-panes -t $S -F '#{pane_pid}')
for _ in $(seq 200); do tmux capture-pane -p -t $S | grep -q 'payments-prod' && break; sleep 0.05; done
tmux capture-pane -p -t $S | grep -q 'payments-prod' || { echo "the console did not show the demo world"; exit 1; }
sleep 1
mem() { awk -v w="$1" '/^VmRSS/{r=$2} /^Pss:/{p=$2} END{printf "%-44s VmRSS %5.1f MiB   PSS %5.1f MiB\n", w, r/1024, p/1024}' /proc/$PID/status /proc/$PID/smaps_rollup; }
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
mem "stores on screen"
# The simulator probes connected external key stores' proxies 2 s after start, then every 30 s (demo pace):
# the resident set is sampled every second for 40 s, across the first two probes.
T0=$(ticks); SAMPLES=""
for _ in $(seq 40); do sleep 1; SAMPLES="$SAMPLES $(awk '/^VmRSS/{print $2}' /proc/$PID/status)"; done
T1=$(ticks)
echo $SAMPLES | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END{printf "VmRSS each second over 40 s: min %.1f, median %.1f, max %.1f MiB\n", v[1]/1024, v[int((NR+1)/2)]/1024, v[NR]/1024}'
echo "CPU ticks over those 40 s (two proxy health probes): $((T1 - T0)) (of $(getconf CLK_TCK)/s)"
T0=$(ticks); sleep 10; T1=$(ticks)
echo "CPU ticks over the next 10 idle seconds: $((T1 - T0))"
tmux send-keys -t $S Enter; sleep 2; tmux send-keys -t $S Escape; sleep 2
mem "after opening a store's detail and going back"
