#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The localnet lab's CI form: one migration per scenario with functional assertions (every peer
# reaches the VM again; nothing the lab created is left behind), then an interrupted run and a
# killed run. Prints TAP lines; exit status 0 pass, 1 fail, 77 skip (not root, packages missing).
# Timings are reported by `run`, never asserted here.
#   test-localnet-lab.sh SOURCE_ROOT CCLM
set -u
top=$1
cclm=$2
run=$top/tools/localnet-lab/run

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP localnet lab needs root (network namespaces, OVS)"
	exit 77
fi
for b in ovn-controller ovn-northd ovs-vswitchd ovsdb-server ip; do
	if ! command -v "$b" >/dev/null; then
		echo "1..0 # SKIP $b missing: install openvswitch-switch ovn-central ovn-host iproute2" \
			"(tools/setup does)"
		exit 77
	fi
done

# a chroot whose / is no mount point refuses `ip netns exec` ("mount --make-rslave /"): the
# lab cannot run there at all, which is the machine's limit, not the lab's failure
probe=cclm-probe-$$
if ! why=$( { ip netns add "$probe" && ip netns exec "$probe" true; } 2>&1); then
	ip netns del "$probe" 2>/dev/null || true
	echo "1..0 # SKIP network namespaces unusable here: $why"
	exit 77
fi
ip netns del "$probe"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# what the lab leaves behind: its namespaces, its run directory, processes using either
leftovers() {
	/usr/bin/python3 - <<'EOF'
import os
base = '/run/cclm-localnet-lab'
found = ['netns ' + n for n in (os.listdir('/run/netns') if os.path.isdir('/run/netns') else [])
	 if n.startswith('cll-')]
if os.path.exists(base):
	found.append('dir ' + base)
if os.path.exists(base + '.lock'):
	found.append('file ' + base + '.lock')
for d in os.listdir('/proc'):
	if d.isdigit():
		try:
			if (base + '/').encode() in open('/proc/%s/cmdline' % d, 'rb').read():
				found.append('pid ' + d)
		except OSError:
			pass
print('\n'.join(found))
EOF
}

# 1. one run per scenario
timeout -s TERM 240 "$run" --short --cclm "$cclm" -o json --save "$tmp/short.json" \
	>"$tmp/out.json" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ]; then ok "lab --short exits 0"; else not_ok "lab --short exits 0 (got $rc)" \
	"$(tail -5 "$tmp/err")"; fi

check=$(/usr/bin/python3 - "$tmp/out.json" "$tmp/short.json" <<'EOF'
import json, sys
problems = []
try:
	rows = json.load(open(sys.argv[1]))['scenarios']
	runs = json.load(open(sys.argv[2]))['runs']
except (OSError, ValueError, KeyError) as e:
	print('no results: %s' % e)
	sys.exit()
peers = {'source-node', 'target-node', 'source-cluster', 'target-cluster', 'physical'}
for name in ('in-cluster', 'cross-cluster', 'cross-cluster+upstream'):
	got = {r['peer'] for r in rows if r['name'] == name}
	if got != peers:
		problems.append('%s: peers %s' % (name, sorted(got)))
for r in rows:
	if set(r) != {'name', 'peer', 'runs', 'median_ms', 'max_ms', 'lost'} or r['runs'] != 1:
		problems.append('bad row %s' % r)
for name, results in runs.items():
	for res, _ in results:
		for peer, r in res.items():
			if not r['reached']:
				problems.append('%s: %s peer does not reach the VM after the migration'
						% (name, peer))
			if r['gaps'] and r['gaps'][-1]['open']:
				problems.append('%s: %s peer had no reply at the end of the run' % (name, peer))
			if r['sent'] == 0:
				problems.append('%s: %s peer sent no probe' % (name, peer))
print('\n'.join(problems))
EOF
)
if [ -z "$check" ]; then ok "every peer reaches the VM again after every migration"
else not_ok "every peer reaches the VM again after every migration" "$check"; fi

left=$(leftovers)
if [ -z "$left" ]; then ok "nothing left behind after a run"
else not_ok "nothing left behind after a run" "$left"; fi

# 2. interrupted while the topology is up: SIGTERM once a chassis exists
"$run" --short --cclm "$cclm" --scenario cross-cluster >/dev/null 2>"$tmp/err2" &
pid=$!
for _ in $(seq 600); do
	[ -e /run/cclm-localnet-lab/B2/controller.pid ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
kill -TERM $pid
# the lab must stop within a minute; a hang is a failure, not a CI timeout
for _ in $(seq 1200); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill -0 $pid 2>/dev/null && kill -KILL $pid
wait $pid
rc=$?
if [ $rc = 130 ]; then ok "SIGTERM stops the lab (exit 130)"
else not_ok "SIGTERM stops the lab (exit 130, got $rc)" "$(tail -3 "$tmp/err2")"; fi
left=$(leftovers)
if [ -z "$left" ]; then ok "nothing left behind after SIGTERM"
else not_ok "nothing left behind after SIGTERM" "$left"; fi

# 3. killed outright: the next invocation removes the leftovers
"$run" --short --cclm "$cclm" --scenario in-cluster >/dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do
	[ -e /run/cclm-localnet-lab/B2/controller.pid ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
kill -KILL $pid
wait $pid 2>/dev/null
if [ -n "$(leftovers)" ]; then ok "SIGKILL leaves the lab behind"
else not_ok "SIGKILL leaves the lab behind (nothing to clean: the test proves nothing)"; fi
"$run" --cleanup --cclm "$cclm"
rc=$?
left=$(leftovers)
if [ $rc = 0 ] && [ -z "$left" ]; then ok "--cleanup removes a killed run's leftovers"
else not_ok "--cleanup removes a killed run's leftovers (exit $rc)" "$left"; fi

echo "1..$n"
exit $fail
