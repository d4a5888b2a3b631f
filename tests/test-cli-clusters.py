#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cclm clusters [--check]` against cclm-sim: the JSON contract of issue 3, the exit status,
the table, and a merged $KUBECONFIG with an unreachable cluster.
Usage: test-cli-clusters.py CCLM CCLM_SIM FLEET_DIR"""
import json
import os
import socket
import subprocess
import sys
import tempfile

import yaml

from simfleet import SimFleet
from tap import check, exit_status  # noqa: E402

cclm, sim, fleet_dir = sys.argv[1:4]


def run(*args, env=None):
    return subprocess.run([cclm, *args], capture_output=True, text=True, env=env, timeout=60)


def closed_port():
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..11')
    p = run('--kubeconfig', fleet.kubeconfig, '-o', 'json', 'clusters')
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    entries = {c['context']: c for c in doc.get('clusters', [])}
    check(p.returncode == 0 and set(entries) == {'east', 'west'}, 'lists both contexts')
    east = entries.get('east', {})
    check(set(east) == {'context', 'cluster', 'server', 'namespace', 'user'}
          and east['server'].startswith('https://127.0.0.1:') and 'reachable' not in east,
          f'entry fields without --check: {sorted(east)}')
    check('current-context' in doc, 'current-context is present')

    p = run('--kubeconfig', fleet.kubeconfig, '-o', 'json', 'clusters', '--check')
    doc = json.loads(p.stdout) if p.stdout else {}
    entries = {c['context']: c for c in doc.get('clusters', [])}
    east, west = entries.get('east', {}), entries.get('west', {})
    check(p.returncode == 0 and east.get('reachable') is True and west.get('reachable') is True,
          f'--check: all reachable, exit {p.returncode}')
    check(east.get('kubevirt-version') == 'v1.6.0' and west.get('kubevirt-version') is None
          and 'kubevirt-version' in west and east.get('error') is None,
          f'--check: KubeVirt v1.6.0 on east, null on west ({east.get("kubevirt-version")}, '
          f'{west.get("kubevirt-version")})')
    # the server version is whatever cclm-sim's /version says: ask it independently
    check(east.get('server-version', '').startswith('v1.'), 'server-version is reported')

    # a second kubeconfig, merged through $KUBECONFIG, adds a cluster nobody listens on
    with tempfile.TemporaryDirectory() as tmp:
        extra = os.path.join(tmp, 'extra')
        with open(extra, 'w') as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster:
    server: https://127.0.0.1:{closed_port()}
    insecure-skip-tls-verify: true
users:
- name: nobody
  user:
    token: not-a-secret
contexts:
- name: gone
  context: {{cluster: gone, user: nobody, namespace: tenant-a}}
""")
        env = dict(os.environ, KUBECONFIG=f'{fleet.kubeconfig}:{extra}')
        p = run('-o', 'json', 'clusters', '--check', env=env)
        doc = json.loads(p.stdout) if p.stdout else {}
        entries = {c['context']: c for c in doc.get('clusters', [])}
        gone = entries.get('gone', {})
        check(p.returncode == 1 and gone.get('reachable') is False and gone.get('error')
              and gone.get('namespace') == 'tenant-a' and entries.get('east', {}).get('reachable'),
              f'unreachable cluster: exit {p.returncode}, error {gone.get("error")!r}')
        p = run('clusters', '--check', env=env)
        lines = p.stdout.splitlines()
        check(p.returncode == 1 and lines and lines[0].split()[:3] == ['CONTEXT', 'CLUSTER', 'SERVER']
              and 'REACHABLE' in lines[0] and any(l.startswith('gone ') for l in lines[1:]),
              'table output with check columns')

    p = run('--kubeconfig', fleet.kubeconfig, 'clusters', '--check', '-o', 'yaml')
    doc = yaml.safe_load(p.stdout) if p.returncode == 0 else {}
    east = {c['context']: c for c in doc.get('clusters', [])}.get('east', {})
    check(east.get('kubevirt-version') == 'v1.6.0' and east.get('reachable') is True
          and east.get('namespace', 'absent') is None,
          'YAML output (-o after the command) reads back as the JSON does')
    p = run('--kubeconfig', fleet.kubeconfig, 'clusters', '-o', 'xml')
    check(p.returncode == 2 and 'xml' in p.stderr, f'bad -o: exit {p.returncode}')

    p = run('--kubeconfig', fleet.kubeconfig, '--context', 'nowhere', 'clusters')
    check(p.returncode >= 2 and 'nowhere' in p.stderr and p.stdout == '',
          f'unknown --context: exit {p.returncode}, {p.stderr.strip()!r}')
finally:
    fleet.stop()
sys.exit(exit_status())
