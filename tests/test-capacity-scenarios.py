#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's fit verdicts against what cclm-sim then does. For fleets made by
`cclm-sim generate` with several seeds (and the hand-written capacity fleet), VMs of random
sizes are defined (halted) on the source cluster, judged against each target from freshly
loaded inventories, then started on the target: a verdict "fits" must give a scheduled
virt-launcher pod with its PVCs bound; "does not fit" a pod left Pending (Unschedulable), or a
pod the quota refused. Usage: test-capacity-scenarios.py CCLM_SIM CAPACITY_FLEET [SEEDS]
(SEEDS: comma-separated `cclm-sim generate` seeds; meson runs 1,2,3)."""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, GLib, Json  # noqa: E402

from simfleet import SimFleet  # noqa: E402
from tap import check, exit_status, results, run_async  # noqa: E402

sim, capacity_fleet = sys.argv[1:3]
seeds = [int(s) for s in sys.argv[3].split(',')] if len(sys.argv) > 3 else []
VMS_PER_FLEET = 6
# selectors only a migration target pod carries: a fresh start on the target does not show them
MIGRATION_ONLY = {'cpu-model', 'cpu-feature'}
# every other VM goes to a namespace without quotas, where storage decides more often
STORAGE_NS = 'scn-storage'


def namespace(name):
    return Json.from_string(json.dumps({'apiVersion': 'v1', 'kind': 'Namespace',
                                        'metadata': {'name': name}}))


def call(cluster, method, *args):
    res = run_async(lambda cb: getattr(cluster, method + '_async')(*args, None, cb))
    return getattr(cluster, method + '_finish')(res)


def to_py(node):
    return json.loads(Json.to_string(node, False))


def load(cluster):
    return cluster.load_inventory_finish(
        run_async(lambda cb: cluster.load_inventory_async(False, None, cb)))


def items(cluster, group, version, resource, ns, selector=None):
    path = Cclm.Cluster.build_path(group, version, resource, ns, None)
    if selector:
        path += '?labelSelector=' + GLib.Uri.escape_string(selector, None, False)
    return to_py(call(cluster, 'get', path)).get('items', [])


def outcome(cluster, ns, name, claims, timeout=15.0):
    """Polls the target until the started VM's fate is known: 'scheduled' (pod bound, PVCs
    Bound), 'unschedulable', 'refused' (the pod could not be created), or None."""
    deadline = GLib.get_monotonic_time() + int(timeout * 1e6)
    while GLib.get_monotonic_time() < deadline:
        for vmi in items(cluster, 'kubevirt.io', 'v1', 'virtualmachineinstances', ns):
            if vmi['metadata']['name'] != name:
                continue
            for c in vmi.get('status', {}).get('conditions', []):
                if c.get('reason') == 'FailedCreate':
                    return 'refused', c.get('message')
        for pod in items(cluster, None, 'v1', 'pods', ns, f'vm.kubevirt.io/name={name}'):
            for c in pod.get('status', {}).get('conditions', []):
                if c['type'] == 'PodScheduled' and c.get('reason') == 'Unschedulable':
                    return 'unschedulable', c.get('message')
            if pod['spec'].get('nodeName'):
                pvcs = {p['metadata']['name']: p.get('status', {}).get('phase')
                        for p in items(cluster, None, 'v1', 'persistentvolumeclaims', ns)}
                if all(pvcs.get(c) == 'Bound' for c in claims):
                    return 'scheduled', pod['spec']['nodeName']
        GLib.usleep(100000)
    return None, 'no outcome in time'


def scenario_vm(rng, template, name, node_mem, node_cpu, classes):
    """A copy of @template sized at random around what one node offers; half of its disks
    move to one of the target's StorageClasses @classes (local volumes, allowedTopologies)."""
    vm = {'apiVersion': 'kubevirt.io/v1', 'kind': 'VirtualMachine',
          'metadata': {'name': name, 'namespace': template['metadata']['namespace']},
          'spec': copy.deepcopy(template['spec'])}
    spec = vm['spec']
    spec.pop('running', None)
    spec['runStrategy'] = 'Halted'
    spec.pop('instancetype', None)
    spec.pop('preference', None)
    dom = spec['template']['spec']['domain']
    dom['memory'] = {'guest': f'{rng.randint(1, max(2, int(node_mem * 1.3 / 2**30)))}Gi'}
    dom.pop('resources', None)
    dom['cpu'] = {'sockets': 1, 'cores': rng.randint(1, max(1, node_cpu)), 'threads': 1}
    renames = {}
    for t in spec.get('dataVolumeTemplates', []):
        new = f'{name}-{len(renames)}'
        renames[t['metadata']['name']] = new
        t['metadata'] = {'name': new}
        st = t['spec'].setdefault('storage', {})
        st.setdefault('resources', {})['requests'] = {'storage': f'{rng.choice([10, 100, 2000])}Gi'}
        if classes and rng.random() < 0.5:
            # sizes around what local volumes and namespace storage quotas hold
            st['storageClassName'] = rng.choice(classes)
            st['resources']['requests'] = {'storage': f'{rng.choice([10, 40, 100, 150])}Gi'}
    for v in spec['template']['spec'].get('volumes', []):
        for key in ('dataVolume', 'persistentVolumeClaim'):
            ref = v.get(key)
            field = 'name' if key == 'dataVolume' else 'claimName'
            if ref and ref.get(field) in renames:
                ref[field] = renames[ref[field]]
    return vm, list(renames.values())


def read_vms(fleet_dir, cluster):
    import yaml
    vms = []
    d = os.path.join(fleet_dir, cluster)
    for f in sorted(os.listdir(d)):
        text = open(os.path.join(d, f)).read()
        if 'kind: VirtualMachine\n' not in text and '"VirtualMachine"' not in text:
            continue  # pods and nodes: large, and pure-Python YAML is slow
        docs = ([json.loads(text)] if f.endswith('.json')
                else yaml.load_all(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader)))
        for doc in docs:
            for it in (doc or {}).get('items', [doc] if doc else []):
                if it.get('kind') == 'VirtualMachine' and 'instancetype' not in it['spec']:
                    vms.append(it)
    return vms


def run_fleet(label, fleet_dir, rng):
    fleet = SimFleet(sim, fleet_dir)
    stats = {'fits': 0, 'not': 0, 'skipped': 0, 'static': 0, 'static-fits': 0, 'topology': 0}
    try:
        kc = Cclm.Kubeconfig.load(fleet.kubeconfig)
        contexts = sorted(kc.get_contexts())
        source_name = 'source' if 'source' in contexts else contexts[0]
        source = Cclm.Cluster.new(kc, source_name)
        targets = {c: Cclm.Cluster.new(kc, c) for c in contexts if c != source_name}
        templates = read_vms(fleet_dir, source_name)
        call(source, 'create', Cclm.Cluster.build_path(None, 'v1', 'namespaces', None, None),
             namespace(STORAGE_NS))
        for i in range(VMS_PER_FLEET):
            for tname, target in targets.items():
                tinv = load(target)
                cap = Cclm.Capacity.new(tinv)
                node_mem = max(1, cap.get_free_memory() // max(1, tinv.get_n_nodes()))
                node_cpu = max(1, cap.get_free_cpu() // 1000 // max(1, tinv.get_n_nodes()))
                name = f'scn-{i}-{tname}'
                classes = {c['metadata']['name']: c for c in
                           items(target, 'storage.k8s.io', 'v1', 'storageclasses', None)}
                # the classes with volumes made by hand or allowedTopologies, when there are
                interesting = sorted(n for n, c in classes.items()
                                     if c.get('provisioner') == 'kubernetes.io/no-provisioner'
                                     or c.get('allowedTopologies'))
                vm, claims = scenario_vm(rng, rng.choice(templates), name, node_mem, node_cpu,
                                         interesting or sorted(classes))
                used = [classes.get(t['spec']['storage'].get('storageClassName'), {})
                        for t in vm['spec'].get('dataVolumeTemplates', [])]
                if i % 2:
                    vm['metadata']['namespace'] = STORAGE_NS
                ns = vm['metadata']['namespace']
                call(source, 'create',
                     Cclm.Cluster.build_path('kubevirt.io', 'v1', 'virtualmachines', ns, None),
                     Json.from_string(json.dumps(vm)))
                sinv = load(source)
                verdict = cap.fit(sinv, f'{ns}/{name}', None)
                kinds = {Cclm.FitReason.get_kind(r).value_nick for r in verdict.get_reasons()}
                if kinds & MIGRATION_ONLY:
                    stats['skipped'] += 1
                    continue
                for w in verdict.get_warnings():
                    if w.get_kind() == Cclm.FitReasonKind.NAMESPACE:
                        call(target, 'create', Cclm.Cluster.build_path(None, 'v1', 'namespaces',
                                                                       None, None), namespace(ns))
                vm['spec']['runStrategy'] = 'Always'
                call(target, 'create',
                     Cclm.Cluster.build_path('kubevirt.io', 'v1', 'virtualmachines', ns, None),
                     Json.from_string(json.dumps(vm)))
                got, detail = outcome(target, ns, name, claims)
                fits = verdict.get_fits()
                stats['fits' if fits else 'not'] += 1
                static = any(c.get('provisioner') == 'kubernetes.io/no-provisioner' for c in used)
                stats['static'] += static
                stats['static-fits'] += static and fits
                stats['topology'] += any(c.get('allowedTopologies') for c in used)
                reasons = '; '.join(r.get_message() for r in verdict.get_reasons())
                check((got == 'scheduled') == fits and got is not None,
                      f'{label}: {ns}/{name} on {tname}: library says '
                      f'{"fits" if fits else "does not fit (" + reasons + ")"}; '
                      f'cclm-sim: {got} ({detail})')
    finally:
        fleet.stop()
    return stats


totals = {'fits': 0, 'not': 0, 'skipped': 0, 'static': 0, 'static-fits': 0, 'topology': 0}
rng = random.Random(5)
fleets = [('capacity-fleet', capacity_fleet)]
with tempfile.TemporaryDirectory() as tmp:
    for seed in seeds:
        out = os.path.join(tmp, f'seed-{seed}')
        subprocess.run([sim, 'generate', '--clusters', '3', '--nodes', '3', '--pods', '12',
                        '--vms', '4', '--seed', str(seed), '--out', out], check=True,
                       capture_output=True)
        fleets.append((f'seed {seed}', out))
    for label, d in fleets:
        s = run_fleet(label, d, rng)
        for k in totals:
            totals[k] += s[k]
print(f'# verdicts: {totals["fits"]} fit, {totals["not"]} do not, {totals["skipped"]} skipped; '
      f'{totals["static"]} with volumes made by hand ({totals["static-fits"]} fit), '
      f'{totals["topology"]} with allowedTopologies')
check(totals['fits'] > 0 and totals['not'] > 0, 'both verdicts were exercised')
check(totals['static'] > 0 and totals['topology'] > 0,
      'local volumes and allowedTopologies were exercised')
print(f'1..{len(results)}')
sys.exit(exit_status())
