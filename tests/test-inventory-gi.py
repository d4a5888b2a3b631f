#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loading and watching a cluster's inventory from Python (PyGObject) against cclm-sim:
cclm_cluster_load_inventory_async, ::changed on a watch event, relist after the watch expired
(410), a deletion seen, an unreachable cluster's error, capacity from the loaded inventory,
one-shot loads (parsed on a thread) cancelled mid-transfer.
Usage: test-inventory-gi.py CCLM_SIM FLEET_DIR (tests/data/cli-fleet)"""
import json
import os
import shutil
import ssl
import subprocess
import sys
import urllib.request

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, Gio, GLib, Json  # noqa: E402

from simfleet import SimFleet  # noqa: E402
from tap import check, exit_status, run_async  # noqa: E402

sim, fleet_dir = sys.argv[1:3]


def wait_for(predicate, timeout=10.0):
    """Iterates the main context until predicate() holds (polled on each dispatch)."""
    ctx = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + int(timeout * 1e6)
    timer = GLib.timeout_add(50, lambda: True)  # wakes the loop to check the deadline
    try:
        while not predicate():
            if GLib.get_monotonic_time() > deadline:
                return False
            ctx.iteration(True)
        return True
    finally:
        GLib.source_remove(timer)


def to_node(obj):
    return Json.from_string(json.dumps(obj))


def pod(name, mem):
    return {'apiVersion': 'v1', 'kind': 'Pod',
            'metadata': {'name': name, 'namespace': 'apps'},
            'spec': {'nodeName': 'roomy-w1', 'containers': [{
                'name': 'c', 'image': 'registry.example/c:1',
                'resources': {'requests': {'cpu': '1', 'memory': mem}}}]}}


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..12')
    kubeconfig = Cclm.Kubeconfig.load(fleet.kubeconfig)
    cluster = Cclm.Cluster.new(kubeconfig, 'roomy')
    res = run_async(lambda cb: cluster.load_inventory_async(True, None, cb))
    inv = cluster.load_inventory_finish(res)
    check(inv.get_cluster_name() == 'roomy' and inv.get_n_nodes() == 2,
          f'inventory loaded: {inv.get_n_nodes()} nodes, {inv.get_n_pods()} pods')
    free_before = Cclm.Capacity.new(inv).get_node_free('roomy-w1', 'memory')
    check(free_before == 128 * 2**30, f'roomy-w1 has 128Gi free ({free_before})')

    changes = []
    inv.connect('changed', lambda i: changes.append(i.get_n_pods()))
    path = Cclm.Cluster.build_path(None, 'v1', 'pods', 'apps', None)
    res = run_async(lambda cb: cluster.create_async(path, to_node(pod('hog', '100Gi')), None, cb))
    cluster.create_finish(res)
    check(wait_for(lambda: inv.get_n_pods() == 1), f'::changed after the watch event {changes}')
    free = Cclm.Capacity.new(inv).get_node_free('roomy-w1', 'memory')
    check(free == 28 * 2**30, f'the new pod is charged to its node ({free})')

    # expire every open watch: the kinds relist (streamed) and watch again
    cfg = {}
    for line in open(fleet.kubeconfig):
        line = line.strip()
        if line.startswith('token:'):
            cfg['token'] = line.split(':', 1)[1].strip().strip('"')
    server = cluster.get_server()
    sslctx = ssl.create_default_context()
    sslctx.check_hostname = False
    sslctx.verify_mode = ssl.CERT_NONE  # loopback cclm-sim, admin endpoint only
    req = urllib.request.Request(server + '/_sim/faults', data=b'expire-watch=*',
                                 headers={'Authorization': 'Bearer ' + cfg['token']},
                                 method='POST')
    urllib.request.urlopen(req, context=sslctx).read()
    # while the watches are expired, a pod goes away; the relist must notice
    del_path = Cclm.Cluster.build_path(None, 'v1', 'pods', 'apps', 'hog')
    res = run_async(lambda cb: cluster.delete_async(del_path, None, None, cb))
    cluster.delete_finish(res)
    check(wait_for(lambda: inv.get_n_pods() == 0, 20), 'deletion seen after the watch expired')
    req = urllib.request.Request(server + '/_sim/faults', method='DELETE',
                                 headers={'Authorization': 'Bearer ' + cfg['token']})
    urllib.request.urlopen(req, context=sslctx).read()
    res = run_async(lambda cb: cluster.create_async(path, to_node(pod('hog2', '1Gi')), None, cb))
    cluster.create_finish(res)
    check(wait_for(lambda: inv.get_n_pods() == 1, 20), 'watching again after the relist')

    # a second load of every cluster at once; one context points at a closed port
    fleet_invs = {}
    loop = GLib.MainLoop()
    contexts = kubeconfig.get_contexts()
    for ctx in contexts:
        c = Cclm.Cluster.new(kubeconfig, ctx)

        def done(c, res, ctx=ctx):
            try:
                fleet_invs[ctx] = c.load_inventory_finish(res)
            except GLib.Error as e:
                fleet_invs[ctx] = e
            if len(fleet_invs) == len(contexts):
                loop.quit()
        c.load_inventory_async(False, None, done)
    loop.run()
    check(all(isinstance(v, Cclm.Inventory) for v in fleet_invs.values())
          and fleet_invs['fragmented'].get_n_pods() == 4,
          'every cluster of the fleet loads concurrently')

    # an unreachable server: a kubeconfig whose server is a closed loopback port
    text = open(fleet.kubeconfig).read().replace(server, 'https://127.0.0.1:1')
    broken = os.path.join(fleet.dir.name, 'broken')
    with open(broken, 'w') as f:
        f.write(text)
    bad = Cclm.Cluster.new(Cclm.Kubeconfig.load(broken), 'roomy')
    res = run_async(lambda cb: bad.load_inventory_async(False, None, cb))
    try:
        bad.load_inventory_finish(res)
        check(False, 'an unreachable cluster is an error')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.NETWORK) and 'roomy' in e.message,
              f'unreachable cluster: {e.message}')

    # a cancelled load
    cancel = Gio.Cancellable()
    cancel.cancel()
    res = run_async(lambda cb: cluster.load_inventory_async(True, cancel, cb))
    try:
        cluster.load_inventory_finish(res)
        check(False, 'a cancelled load fails')
    except GLib.Error as e:
        check(e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), 'a cancelled load fails')
    del inv
finally:
    fleet.stop()

# A one-shot load parses on a thread of its own: cancelled at various points of a transfer of
# 4,000 pods, each load either completes whole or fails as cancelled, never anything between,
# and a load afterwards is whole.
gen = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'cclm-oneshot-{os.getpid()}')
subprocess.run([sim, 'generate', '--clusters', '1', '--nodes', '40', '--pods', '4000', '--vms', '20',
                '--seed', '5', '--out', gen], check=True, capture_output=True)
big = SimFleet(sim, gen)
try:
    kubeconfig = Cclm.Kubeconfig.load(big.kubeconfig)
    ctx = kubeconfig.get_contexts()[0]
    whole = Cclm.Cluster.new(kubeconfig, ctx)
    res = run_async(lambda cb: whole.load_inventory_async(False, None, cb))
    n_pods = whole.load_inventory_finish(res).get_n_pods()
    check(n_pods == 4000, f'one-shot load of a generated cluster: {n_pods} pods')
    outcomes = []
    for delay_ms in (1, 5, 10, 20, 40, 80, 160, 2000):
        cluster = Cclm.Cluster.new(kubeconfig, ctx)
        cancel = Gio.Cancellable()
        GLib.timeout_add(delay_ms, lambda c=cancel: c.cancel() or False)
        res = run_async(lambda cb: cluster.load_inventory_async(False, cancel, cb))
        try:
            outcomes.append(cluster.load_inventory_finish(res).get_n_pods())
        except GLib.Error as e:
            outcomes.append('cancelled' if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
                            else e.message)
    check(all(o in (4000, 'cancelled') for o in outcomes) and 'cancelled' in outcomes,
          f'one-shot loads cancelled mid-transfer: whole or cancelled ({outcomes})')
    res = run_async(lambda cb: whole.load_inventory_async(False, None, cb))
    check(whole.load_inventory_finish(res).get_n_pods() == 4000, 'a load after the cancelled ones is whole')
finally:
    big.stop()
    shutil.rmtree(gen, ignore_errors=True)
sys.exit(exit_status())
