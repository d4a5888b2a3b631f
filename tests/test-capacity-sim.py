#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Inventories synced from cclm-sim clusters through GObject-Introspection: capacity, fit and
suggest on live (simulated) clusters. Usage: test-capacity-sim.py CCLM_SIM FLEET_DIR"""
import gc
import json
import sys

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, GLib, Json  # noqa: E402

from simfleet import SimFleet  # noqa: E402
from tap import check, exit_status, run_async  # noqa: E402

sim, fleet_dir = sys.argv[1:3]


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..6')
    kubeconfig = Cclm.Kubeconfig.load(fleet.kubeconfig)
    inventories = {}
    for context in ('east', 'west', 'south'):
        cluster = Cclm.Cluster.new(kubeconfig, context)
        cluster.connect_finish(run_async(lambda cb: cluster.connect_async(None, cb)))
        res = run_async(lambda cb: cluster.load_inventory_async(True, None, cb))
        inventory = cluster.load_inventory_finish(res)
        inventories[context] = (cluster, inventory)
    east = inventories['east'][1]
    check(east.get_n_nodes() == 1 and east.get_n_pods() == 1,
          f'east synced: {east.get_n_nodes()} nodes, {east.get_n_pods()} pods')

    cap = json.loads(Json.to_string(Cclm.Capacity.new(east).to_json(), False))
    node = cap['nodes'][0]
    check(node['name'] == 'east-w1' and node['free']['cpu']['millicores'] == 7500
          and node['free']['memory']['bytes'] == 31 * 2**30, f'east capacity {node["free"]}')

    west_fit = Cclm.Capacity.new(inventories['west'][1]).fit(east, 'apps/db', None)
    kinds = [r.get_kind().value_nick for r in west_fit.get_reasons()]
    check(not west_fit.get_fits() and kinds == ['memory'],
          f'west is short on memory: {[r.get_message() for r in west_fit.get_reasons()]}')

    ranked = Cclm.Capacity.suggest(east, [i for _, i in inventories.values()], ['apps/db'], None)
    check([(c.get_cluster(), c.get_fits()) for c in ranked] == [('south', True), ('west', False)],
          f'suggest ranks south first: {[c.get_explanation() for c in ranked]}')

    # a watch event reaches the inventory: a new pod on east
    changed = []
    east.connect('changed', lambda inv: changed.append(1))
    check(east.get_n_pods() == 1, 'before the change')
    loop = GLib.MainLoop()
    GLib.timeout_add_seconds(20, loop.quit)
    pod = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'web-1', 'namespace': 'apps'},
           'spec': {'nodeName': 'east-w1', 'containers': [{'name': 'w', 'image': 'w',
                    'resources': {'requests': {'cpu': '1', 'memory': '2Gi'}}}]},
           'status': {'phase': 'Running'}}
    cluster = inventories['east'][0]
    path = '/api/v1/namespaces/apps/pods'
    res = run_async(lambda cb: cluster.create_async(path, Json.from_string(json.dumps(pod)), None, cb))
    cluster.create_finish(res)

    def poll():
        if east.get_n_pods() == 2:
            loop.quit()
            return False
        return True
    GLib.timeout_add(20, poll)
    loop.run()
    check(east.get_n_pods() == 2 and changed, 'a created pod arrives by watch and emits changed')
finally:
    # stop the watches (an inventory stops them when disposed) before the simulator, which
    # waits for open streams on SIGTERM
    inventories = east = cluster = cap = west_fit = ranked = None
    gc.collect()
    while GLib.MainContext.default().iteration(False):
        pass
    fleet.stop()
sys.exit(exit_status())
