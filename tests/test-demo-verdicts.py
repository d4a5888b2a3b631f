#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The demo fleet shows every capacity verdict for vm-prod/db-01 from east (examples/fleet/
README.md): west fits; north is short on memory, south on storage, central is fragmented.
Usage: test-demo-verdicts.py CCLM CCLM_SIM FLEET_DIR"""
import json
import subprocess
import sys

from simfleet import SimFleet
from tap import check, exit_status  # noqa: E402

cclm, sim, fleet_dir = sys.argv[1:4]


def run(*args):
    p = subprocess.run([cclm, '--kubeconfig', fleet.kubeconfig, *args, '-o', 'json'],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, json.loads(p.stdout) if p.stdout else {}


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..5')
    expected = {'west': (0, set()), 'north': (1, {'memory'}), 'south': (1, {'storage'}),
                'central': (1, {'memory', 'not-ready', 'kubevirt-schedulable'})}
    for target, (status, kinds) in expected.items():
        code, doc = run('fit', 'vm-prod/db-01', '--from', 'east', '--to', target)
        got = {r['kind'] for r in doc.get('reasons', [])}
        check(code == status and doc.get('fits') == (status == 0) and got == kinds,
              f'{target}: exit {code}, reasons {sorted(got)}')
    code, doc = run('suggest', 'vm-prod/db-01', '--from', 'east')
    order = [(c['cluster'], c['fits']) for c in doc.get('candidates', [])]
    check(code == 0 and order and order[0] == ('west', True)
          and all(not fits for _, fits in order[1:]) and 'east' not in dict(order),
          f'suggest puts west first, the source never: {order}')
finally:
    fleet.stop()
sys.exit(exit_status())
