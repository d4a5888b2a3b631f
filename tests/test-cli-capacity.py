#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cclm capacity`, `cclm fit` and `cclm suggest` against cclm-sim on tests/data/cli-fleet
(a source with VMs apps/demo and apps/small; targets short on memory, short on storage,
fragmented, and roomy): the JSON contracts of issue 5, exit statuses, unreachable clusters.
Usage: test-cli-capacity.py CCLM CCLM_SIM FLEET_DIR"""
import json
import os
import socket
import subprocess
import sys
import tempfile

from simfleet import SimFleet
from tap import check, exit_status  # noqa: E402

cclm, sim, fleet_dir = sys.argv[1:4]
KINDS = {'memory', 'cpu', 'dedicated-cpu', 'hugepages', 'pods', 'extended-resource', 'taint',
         'cordoned', 'not-ready', 'kubevirt-schedulable', 'node-selector', 'node-affinity',
         'cpu-model', 'cpu-feature', 'quota', 'storage', 'storage-class', 'namespace'}


def run(*args, env=None):
    p = subprocess.run([cclm, *args], capture_output=True, text=True, env=env, timeout=120)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    return p, doc


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def kinds(items):
    return [r['kind'] for r in items]


def well_formed(items):
    return all(r.get('kind') in KINDS and r.get('message', '').startswith(r['kind'] + ':')
               for r in items)


fleet = SimFleet(sim, fleet_dir)
tmp = tempfile.TemporaryDirectory()
try:
    print('1..20')
    kc = ['--kubeconfig', fleet.kubeconfig]

    p, doc = run(*kc, '-o', 'json', 'capacity')
    clusters = doc.get('clusters', {})
    check(p.returncode == 0 and doc.get('schema') == 'cclm.capacity/v1'
          and sorted(clusters) == ['fragmented', 'memory-short', 'roomy', 'source',
                                   'storage-short'],
          f'capacity: every context, versioned schema (exit {p.returncode})')
    frag = clusters.get('fragmented', {})
    free = frag.get('totals', {}).get('free', {}).get('memory', {})
    check(free.get('bytes') == 32 * 2**30 and free.get('human') == '32.0 GiB'
          and [n['free']['memory']['bytes'] for n in frag.get('nodes', [])] == [8 * 2**30] * 4,
          f'capacity: base-unit numbers beside human strings, per node ({free})')
    cpu = clusters.get('roomy', {}).get('totals', {}).get('allocatable', {}).get('cpu', {})
    check(cpu.get('millicores') == 64000, f'capacity: CPU in millicores ({cpu})')

    p, doc = run(*kc, '--context', 'roomy', '-o', 'yaml', 'capacity')
    check(p.returncode == 0 and 'schema: cclm.capacity/v1' in p.stdout
          and 'roomy:' in p.stdout and 'fragmented:' not in p.stdout,
          'capacity --context: that cluster only, as YAML')
    p, _ = run(*kc, 'capacity')
    check(p.returncode == 0 and 'frag-w3' in p.stdout and 'MEMORY FREE' in p.stdout,
          'capacity: per-cluster and per-node table')

    extra = os.path.join(tmp.name, 'extra')
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
  context: {{cluster: gone, user: nobody}}
""")
    env = dict(os.environ, KUBECONFIG=f'{fleet.kubeconfig}:{extra}')
    p, doc = run('-o', 'json', 'capacity', env=env)
    gone = doc.get('clusters', {}).get('gone', {})
    check(p.returncode == 1 and gone.get('error', {}).get('code') == 'network'
          and 'roomy' in doc.get('clusters', {})
          and 'not-a-secret' not in p.stdout + p.stderr,
          f'capacity: an unreachable cluster carries its error, the others their results, '
          f'exit 1 ({gone})')

    verdicts = {}
    for target, status in [('memory-short', 1), ('storage-short', 1), ('fragmented', 1),
                           ('roomy', 0)]:
        p, doc = run(*kc, '-o', 'json', 'fit', 'apps/demo', '--from', 'source', '--to', target)
        verdicts[target] = doc
        check(p.returncode == status and doc.get('fits') is (status == 0)
              and well_formed(doc.get('reasons', [])) and well_formed(doc.get('warnings', []))
              and (status == 0) == (doc.get('reasons') == []),
              f'fit to {target}: exit {p.returncode}, reasons {kinds(doc.get("reasons", []))}')
    check(kinds(verdicts['memory-short']['reasons']) == ['memory']
          and kinds(verdicts['fragmented']['reasons']) == ['memory']
          and 'fragmented across 4 nodes' in verdicts['fragmented']['reasons'][0]['message']
          and kinds(verdicts['storage-short']['reasons']) == ['storage'],
          'fit: the short resource named, with the fragmentation')
    check(verdicts['roomy'].get('running') is False and verdicts['roomy'].get('node'),
          'fit: a stopped VM is judged as if started')
    score = verdicts['roomy'].get('nodeScore') or {}
    check(score.get('total') == score.get('leastAllocated', -1) + score.get('balancedAllocation', -1)
          + score.get('taintToleration', -1) + score.get('nodeAffinity', -1)
          and 0 < score.get('total', 0) <= 700
          and score.get('feasibleNodes', 0) >= 1
          and all(v.get('nodeScore', 0) is None for t, v in verdicts.items() if t != 'roomy'),
          f'fit: the chosen node\'s kube-scheduler score, null without a node ({score})')

    p, doc = run(*kc, '-o', 'json', 'fit', 'apps/demo', '--from', 'source', '--to', 'roomy',
                 '--storage-map', 'fast=slow')
    check(p.returncode == 1 and 'storage-class' in kinds(doc.get('reasons', [])),
          f'fit --storage-map to a class the target lacks: {kinds(doc.get("reasons", []))}')
    p, _ = run(*kc, '-o', 'json', 'fit', 'apps/nope', '--from', 'source', '--to', 'roomy')
    check(p.returncode >= 2 and 'apps/nope' in p.stderr, f'fit: VM not found, exit {p.returncode}')
    p, _ = run('-o', 'json', 'fit', 'apps/demo', '--from', 'source', '--to', 'gone', env=env)
    check(p.returncode >= 2 and 'gone' in p.stderr, f'fit: unreachable target, exit {p.returncode}')

    p, doc = run(*kc, '-o', 'json', 'suggest', 'apps/demo', '--from', 'source')
    cands = doc.get('candidates', [])
    check(p.returncode == 0 and doc.get('schema') == 'cclm.suggest/v1'
          and [c['cluster'] for c in cands][:1] == ['roomy']
          and [c['fits'] for c in cands] == [True, False, False, False]
          and 'source' not in [c['cluster'] for c in cands]
          and all(c.get('explanation') for c in cands),
          f'suggest: fitting first, source excluded (exit {p.returncode}, '
          f'{[(c["cluster"], c["fits"]) for c in cands]}) {p.stderr[-200:]!r}')

    batch = os.path.join(tmp.name, 'batch')
    with open(batch, 'w') as f:
        f.write('# the demo VMs\napps/demo\n\napps/small\n')
    p, doc = run(*kc, '-o', 'json', 'suggest', '--batch', batch, '--from', 'source')
    cands = {c['cluster']: c for c in doc.get('candidates', [])}
    frag = cands.get('fragmented', {})
    check(p.returncode == 0 and doc.get('vms') == ['apps/demo', 'apps/small']
          and cands.get('roomy', {}).get('fits') is True and frag.get('fits') is False
          and [v['fits'] for v in frag.get('verdicts', [])] == [False, True],
          'suggest --batch: judged together, per-VM verdicts')

    # a storage map to a class no target has: nothing fits
    p, doc = run(*kc, '-o', 'json', 'suggest', 'apps/demo', '--from', 'source',
                 '--storage-map', 'fast=none')
    check(p.returncode == 1 and doc.get('candidates')
          and not any(c['fits'] for c in doc['candidates']),
          f'suggest: exit 1 when no cluster fits (exit {p.returncode})')
    p, doc = run('-o', 'json', 'suggest', 'apps/demo', '--from', 'source', env=env)
    gone = [c for c in doc.get('candidates', []) if c['cluster'] == 'gone']
    check(p.returncode == 0 and gone and gone[0]['fits'] is False and gone[0].get('error'),
          'suggest: an unreachable cluster is a candidate that does not fit, with its error')
finally:
    tmp.cleanup()
    fleet.stop()
sys.exit(exit_status())
