#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Connects to every context of a kubeconfig at once and prints what each cluster runs.

    examples/check-clusters.py [KUBECONFIG]

Uses libcclm through GObject-Introspection (PyGObject 3.42 has no await: callbacks and a
GLib.MainLoop). Set GI_TYPELIB_PATH and LD_LIBRARY_PATH to a build tree to run it uninstalled.
"""
import sys

import gi
gi.require_version('Cclm', '1.0')
from gi.repository import Cclm, GLib  # noqa: E402

kubeconfig = Cclm.Kubeconfig.load(sys.argv[1] if len(sys.argv) > 1 else None)
loop = GLib.MainLoop()
pending = 0
rows = []


def connected(cluster, res):
    global pending
    try:
        cluster.connect_finish(res)
        rows.append((cluster.props.name, cluster.props.server_version,
                     cluster.props.kubevirt_version or '-', ''))
    except GLib.Error as e:
        rows.append((cluster.props.name, '-', '-', e.message))
    pending -= 1
    if pending == 0:
        loop.quit()


for context in kubeconfig.get_contexts():
    cluster = Cclm.Cluster.new(kubeconfig, context)
    pending += 1
    cluster.connect_async(None, connected)
if pending:
    loop.run()
for name, version, kubevirt, error in sorted(rows):
    print(f'{name:<16} {version:<12} {kubevirt:<10} {error}')
sys.exit(1 if any(r[3] for r in rows) else 0)
