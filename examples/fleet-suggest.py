#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ranks the clusters of a kubeconfig for VMs, as `cclm suggest` does, from Python.

    examples/fleet-suggest.py SOURCE-CONTEXT NAMESPACE/VM...

Loads every context of the kubeconfig ($KUBECONFIG, else ~/.kube/config) concurrently with a
Cclm.Fleet, then prints one line per candidate cluster, best first: a cluster that could not be
read is listed with its error. The VMs are judged together, as a batch. Exit status 0 when a
cluster fits them, 1 when none does, 2 on error.

Uses libcclm through GObject-Introspection (PyGObject 3.42 has no await: callbacks and a
GLib.MainLoop). Set GI_TYPELIB_PATH and LD_LIBRARY_PATH to a build tree to run it uninstalled.
"""
import sys

import gi
gi.require_version('Cclm', '1.0')
from gi.repository import Cclm, GLib  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print('usage: fleet-suggest.py SOURCE-CONTEXT NAMESPACE/VM...', file=sys.stderr)
        return 2
    source, vms = argv[1], argv[2:]
    try:
        fleet = Cclm.Fleet.new(Cclm.Kubeconfig.load(None))
    except GLib.Error as e:
        print(f'error: {e.message}', file=sys.stderr)
        return 2
    # progress as each cluster's inventory arrives (or fails)
    fleet.connect('member-loaded',
                  lambda _fleet, context: print(f'read {context}', file=sys.stderr))

    loop = GLib.MainLoop()
    result = {}

    def ranked(fleet, res):
        try:
            result['candidates'] = fleet.suggest_finish(res)
        except GLib.Error as e:
            result['error'] = e
        loop.quit()

    fleet.suggest_async(source, vms, None, None, ranked)
    loop.run()
    if 'error' in result:
        print(f'error: {result["error"].message}', file=sys.stderr)
        return 2
    for candidate in result['candidates']:
        if candidate.get_error() is not None:
            state = 'unreachable'
        else:
            state = 'fits' if candidate.get_fits() else 'does not fit'
        print(f'{candidate.get_cluster()}\t{state}\t{candidate.get_explanation()}')
    return 0 if any(c.get_fits() for c in result['candidates']) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
