#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""libcclm through GObject-Introspection from Python: a real async connect and paged list
against cclm-sim, in a GLib main loop. Usage: test-gi.py CCLM_SIM FLEET_DIR"""
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
    print('1..12')
    kubeconfig = Cclm.Kubeconfig.load(fleet.kubeconfig)
    check(sorted(kubeconfig.get_contexts()) == ['east', 'west'], 'kubeconfig lists the contexts')

    cluster = Cclm.Cluster.new(kubeconfig, 'east')
    states = []
    cluster.connect('state-changed', lambda c, reachable, err: states.append(reachable))
    res = run_async(lambda cb: cluster.connect_async(None, cb))
    check(cluster.connect_finish(res) and cluster.props.reachable and states == [True],
          'connect succeeds and emits state-changed')
    every = (Cclm.ClusterFeatures.KUBEVIRT | Cclm.ClusterFeatures.CDI
             | Cclm.ClusterFeatures.HYPERCONVERGED | Cclm.ClusterFeatures.MULTUS
             | Cclm.ClusterFeatures.CSI_STORAGE_CAPACITY
             | Cclm.ClusterFeatures.OPENSHIFT_NETWORK)
    check(cluster.props.kubevirt_version == 'v1.6.0' and cluster.get_features() == every,
          f'discovery finds KubeVirt v1.6.0 and every API cclm-sim serves (got '
          f'{cluster.props.kubevirt_version}, {cluster.get_features()!r})')
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

    # writes: create, merge patch, server-side apply (and its conflict), delete
    def call(start, finish):
        res = run_async(start)
        return finish(res)

    def parse(text):
        parser = Json.Parser.new()
        parser.load_from_data(text, -1)
        return parser.get_root()

    cms = Cclm.Cluster.build_path(None, 'v1', 'configmaps', 'apps', None)
    cm = Cclm.Cluster.build_path(None, 'v1', 'configmaps', 'apps', 'settings')
    obj = call(lambda cb: cluster.create_async(cms, parse(
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},'
        '"data":{"mode":"a"}}'), None, cb), cluster.create_finish).get_object()
    check(obj.get_object_member('metadata').get_string_member('resourceVersion') != ''
          and obj.get_object_member('data').get_string_member('mode') == 'a',
          'create returns the stored object')
    obj = call(lambda cb: cluster.patch_async(cm, Cclm.PatchType.MERGE,
                                              parse('{"data":{"mode":"b"}}'), None, False,
                                              None, cb), cluster.patch_finish).get_object()
    check(obj.get_object_member('data').get_string_member('mode') == 'b', 'merge patch')
    apply = parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},'
                  '"data":{"owner":"x"}}')
    call(lambda cb: cluster.patch_async(cm, Cclm.PatchType.APPLY, apply, 'first', False,
                                        None, cb), cluster.patch_finish)
    taken = parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},'
                  '"data":{"owner":"y"}}')
    try:
        call(lambda cb: cluster.patch_async(cm, Cclm.PatchType.APPLY, taken, 'second', False,
                                            None, cb), cluster.patch_finish)
        check(False, 'server-side apply conflict is an error')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.CONFLICT), f'apply conflict: {e.message}')
    obj = call(lambda cb: cluster.patch_async(cm, Cclm.PatchType.APPLY, taken, 'second', True,
                                              None, cb), cluster.patch_finish).get_object()
    check(obj.get_object_member('data').get_string_member('owner') == 'y',
          'forced apply takes the field over')
    call(lambda cb: cluster.delete_async(cm, 'Background', None, cb), cluster.delete_finish)
    try:
        call(lambda cb: cluster.get_async(cm, None, cb), cluster.get_finish)
        check(False, 'the deleted object is gone')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.NOT_FOUND), 'delete removes the object')

    try:
        Cclm.Cluster.new(kubeconfig, 'nowhere')
        check(False, 'an unknown context is an error')
    except GLib.Error as e:
        check(e.matches(Cclm.error_quark(), Cclm.Error.KUBECONFIG) and 'nowhere' in e.message,
              f'unknown context names it: {e.message}')
finally:
    fleet.stop()
sys.exit(exit_status())
