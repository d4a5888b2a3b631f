#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Delay from a watch event to CclmInventory::changed: a watched inventory of one cluster; a
pod is created N times and the time from sending the create to the signal is taken (an upper
bound of event-to-signal: it includes the request and the server's watch fan-out).
Usage: bench-event-signal.py KUBECONFIG CONTEXT [N]"""
import json
import sys
import time

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, GLib, Json  # noqa: E402

kubeconfig, context = sys.argv[1:3]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
cluster = Cclm.Cluster.new(Cclm.Kubeconfig.load(kubeconfig), context)
loop = GLib.MainLoop()
box = {}


def done(source, res):
    box['res'] = res
    loop.quit()


t0 = time.monotonic()
cluster.load_inventory_async(True, None, done)
loop.run()
inv = cluster.load_inventory_finish(box['res'])
print(f'watched inventory of {context}: {inv.get_n_nodes()} nodes, {inv.get_n_pods()} pods '
      f'loaded in {time.monotonic() - t0:.2f} s')
state = {}
inv.connect('changed', lambda i: state.setdefault('signal', time.monotonic()))
delays = []
path = Cclm.Cluster.build_path(None, 'v1', 'pods', 'default', None)
for i in range(n):
    pod = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': f'bench-{i}', 'namespace': 'default'},
           'spec': {'nodeName': 'worker-0000', 'containers': [{
               'name': 'c', 'image': 'registry.example/c:1',
               'resources': {'requests': {'cpu': '10m', 'memory': '1Mi'}}}]}}
    state.clear()
    sent = time.monotonic()
    cluster.create_async(path, Json.from_string(json.dumps(pod)), None, done)
    loop.run()
    cluster.create_finish(box['res'])
    ctx = GLib.MainContext.default()
    while 'signal' not in state:
        ctx.iteration(True)
    delays.append(max(0.0, state['signal'] - sent) * 1000)
delays.sort()
print(f'event -> ::changed over {n} pods: median {delays[n // 2]:.1f} ms, '
      f'max {delays[-1]:.1f} ms (target <= 100 ms)')
