#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""libcclm through GObject-Introspection from Python: a real async connect and paged list
against cclm-sim, in a GLib main loop. Usage: test-gi.py CCLM_SIM FLEET_DIR"""
import sys

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, GLib  # noqa: E402

from simfleet import SimFleet  # noqa: E402

sim, fleet_dir = sys.argv[1:3]
results = []


def check(ok, name):
    results.append(ok)
    print(f'{"ok" if ok else "not ok"} {len(results)} - {name}', flush=True)


def run_async(start):
    """Calls start(callback) and iterates a main loop until the callback ran."""
    loop = GLib.MainLoop()
    box = {}

    def done(source, res):
        box['res'] = res
        loop.quit()
    start(done)
    loop.run()
    return box['res']


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..7')
    kubeconfig = Cclm.Kubeconfig.load(fleet.kubeconfig)
    check(sorted(kubeconfig.get_contexts()) == ['east', 'west'], 'kubeconfig lists the contexts')

    cluster = Cclm.Cluster.new(kubeconfig, 'east')
    states = []
    cluster.connect('state-changed', lambda c, reachable, err: states.append(reachable))
    res = run_async(lambda cb: cluster.connect_async(None, cb))
    check(cluster.connect_finish(res) and cluster.props.reachable and states == [True],
          'connect succeeds and emits state-changed')
    check(cluster.props.kubevirt_version == 'v1.6.0'
          and cluster.get_features() & Cclm.ClusterFeatures.KUBEVIRT,
          f'discovery finds KubeVirt v1.6.0 (got {cluster.props.kubevirt_version})')
    check((cluster.props.server_version or '').startswith('v1.'),
          f'server version {cluster.props.server_version}')

    pages = []
    names = []

    def on_page(items, *user_data):
        pages.append(items.get_length())
        for i in range(items.get_length()):
            names.append(items.get_object_element(i).get_object_member('metadata')
                         .get_string_member('name'))
        return True
    path = Cclm.Cluster.build_path(None, 'v1', 'pods', None, None)
    res = run_async(lambda cb: cluster.list_async(path=path, page_size=2, page_func=on_page, cancellable=None, callback=cb))
    rv = cluster.list_finish(res)
    check(sorted(names) == [f'web-{i}' for i in range(7)] and max(pages) <= 2 and len(pages) >= 4
          and rv, f'paged list of 7 pods in pages of 2 (pages {pages})')

    path = Cclm.Cluster.build_path(None, 'v1', 'pods', 'default', 'no-such-pod')
    res = run_async(lambda cb: cluster.get_async(path, None, cb))
    try:
        cluster.get_finish(res)
        check(False, 'a missing pod is an error')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.NOT_FOUND), f'NotFound error: {e.message}')

    try:
        Cclm.Cluster.new(kubeconfig, 'nowhere')
        check(False, 'an unknown context is an error')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.KUBECONFIG) and 'nowhere' in e.message,
              f'unknown context names it: {e.message}')
finally:
    fleet.stop()
sys.exit(0 if all(results) else 1)
