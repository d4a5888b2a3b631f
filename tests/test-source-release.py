#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Cclm.source_release_async (libcclm/network/cclm-source-release.c) through PyGObject against
cclm-sim: the fleet tests/data/handover-fleet has a decentralized migration at switchover,
east (source, namespace vms) to west (target, namespace vms-target). Every refusal must leave
both clusters exactly as they were (every object's resourceVersion); the release must delete
the source VMI's running launcher pod, at once (no graceful MODIFIED first), and nothing else.
Usage: test-source-release.py CCLM_SIM FLEET_DIR"""
import sys

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, Gio, GLib  # noqa: E402

from simfleet import SimFleet  # noqa: E402
from tap import check, exit_status  # noqa: E402

sim, fleet_dir = sys.argv[1:3]
TIMEOUT_S = 30


def iterate_until(cond, what):
    """Runs the default main context until cond() holds, or fails after TIMEOUT_S."""
    expired = []
    tag = GLib.timeout_add_seconds(TIMEOUT_S, lambda: expired.append(True) or False)
    ctx = GLib.MainContext.default()
    while not cond() and not expired:
        ctx.iteration(True)
    if not expired:
        GLib.source_remove(tag)
    if expired:
        raise RuntimeError(f'timed out waiting for {what}')


def run_async(start):
    box = {}
    start(lambda source, res: box.setdefault('res', res))
    iterate_until(lambda: 'res' in box, 'the async call')
    return box['res']


RESOURCES = [('', 'v1', 'pods'), ('', 'v1', 'nodes'), ('', 'v1', 'namespaces'),
             ('kubevirt.io', 'v1', 'virtualmachineinstances'),
             ('kubevirt.io', 'v1', 'virtualmachines')]


def snapshot(clusters):
    """{(cluster, resource, namespace, name): resourceVersion} of every object."""
    objects = {}
    for cluster in clusters:
        for group, version, resource in RESOURCES:
            def page(items, *unused):
                for i in range(items.get_length()):
                    meta = items.get_object_element(i).get_object_member('metadata')
                    ns = meta.get_string_member('namespace') if meta.has_member('namespace') \
                        else ''
                    objects[(cluster.get_name(), resource, ns, meta.get_string_member('name'))] \
                        = meta.get_string_member('resourceVersion')
                return True
            path = Cclm.Cluster.build_path(group or None, version, resource, None, None)
            res = run_async(lambda cb: cluster.list_async(path=path, page_size=0, page_func=page,
                                                          cancellable=None, callback=cb))
            cluster.list_finish(res)
    return objects


def release(src, src_ns, src_vmi, dst, dst_ns, dst_vmi, cancellable=None, cancel_after=False):
    """Returns (deleted names, None) or (None, GLib.Error)."""
    box = {}
    Cclm.source_release_async(src, src_ns, src_vmi, dst, dst_ns, dst_vmi, cancellable,
                              lambda source, res: box.setdefault('res', res))
    if cancel_after:
        cancellable.cancel()
    iterate_until(lambda: 'res' in box, 'source_release')
    try:
        return Cclm.source_release_finish(box['res']), None
    except GLib.Error as e:
        return None, e


def diff(before, after):
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return changed


fleet = SimFleet(sim, fleet_dir)
try:
    print('1..15')
    kubeconfig = Cclm.Kubeconfig.load(fleet.kubeconfig)
    east = Cclm.Cluster.new(kubeconfig, 'east')
    west = Cclm.Cluster.new(kubeconfig, 'west')
    both = [east, west]
    before = snapshot(both)

    refusals = [
        ('target migration not completed', (east, 'vms', 'cache', west, 'vms-target', 'cache'),
         Cclm.Error.NOT_READY, ['cluster "west"', 'vms-target/cache', 'completed: false']),
        ('target VMI elsewhere than the migration went',
         (east, 'vms', 'cache', west, 'vms-target', 'cache-elsewhere'), Cclm.Error.NOT_READY,
         ['targetState.node "west-w2" is not status.nodeName "west-w1"']),
        ('target migration failed', (east, 'vms', 'cache', west, 'vms-target', 'cache-failed'),
         Cclm.Error.FAILED, ['failed: true', 'connection reset by peer']),
        ('target VMI missing', (east, 'vms', 'db', west, 'vms-target', 'nope'),
         Cclm.Error.NOT_FOUND, ['cluster "west"', 'vms-target/nope']),
        ('target ready, source still migrating',
         (east, 'vms', 'cache', west, 'vms-target', 'cache-ready'), Cclm.Error.NOT_READY,
         ['cluster "east"', 'vms/cache', 'completed: false']),
        ('target ready, source VMI missing', (east, 'vms', 'nope', west, 'vms-target', 'db-moved'),
         Cclm.Error.NOT_FOUND, ['cluster "east"', 'vms/nope']),
        ('target ready, the source VMI is not the one the target came from',
         (east, 'vms', 'web', west, 'vms-target', 'db-moved'), Cclm.Error.INVALID_ARGUMENT,
         ['virtualMachineInstanceUID 0000aaaa-0000-4000-8000-00000000db01',
          '0000aaaa-0000-4000-8000-000000000eb1']),
        ('the source VM would start again (runStrategy Always)',
         (east, 'vms', 'api', west, 'vms-target', 'api-moved'), Cclm.Error.NOT_READY,
         ['cluster "east"', 'VirtualMachine "vms/api"', 'spec.runStrategy "Always"']),
        ('no source namespace', (east, '', 'db', west, 'vms-target', 'db-moved'),
         Cclm.Error.INVALID_ARGUMENT, ['namespace and VMI name are needed']),
        ('the same VMI as source and target',
         (west, 'vms-target', 'db-moved', west, 'vms-target', 'db-moved'),
         Cclm.Error.INVALID_ARGUMENT, ['is both the source and the target']),
    ]
    for name, args, code, words in refusals:
        deleted, error = release(*args)
        now = snapshot(both)
        check(deleted is None and error.matches(Cclm.error_quark(), code)
              and all(w in error.message for w in words) and diff(before, now) == [],
              f'refused, nothing changed: {name}: '
              f'{error.message if error else deleted} {diff(before, now)}')

    # cancellation: before the call, and while its first request is in flight
    for how, cancel_after in (('cancelled before', False), ('cancelled during', True)):
        cancellable = Gio.Cancellable()
        if not cancel_after:
            cancellable.cancel()
        deleted, error = release(east, 'vms', 'db', west, 'vms-target', 'db-moved',
                                 cancellable, cancel_after)
        now = snapshot(both)
        check(error is not None and error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
              and diff(before, now) == [],
              f'{how}: G_IO_ERROR_CANCELLED, nothing changed ({error}, {diff(before, now)})')

    # the release: watch the source namespace's pods to see how the pod goes
    events = []
    synced = []
    watch = east.watch(Cclm.Cluster.build_path(None, 'v1', 'pods', 'vms', None), None)
    watch.connect('event', lambda w, kind, obj: synced and events.append(
        (kind, obj.get_object_member('metadata').get_string_member('name'))))
    watch.connect('synced', lambda w: synced.append(True))
    watch.start()
    iterate_until(lambda: synced, 'the pod watch to sync')
    deleted, error = release(east, 'vms', 'db', west, 'vms-target', 'db-moved')
    check(error is None and list(deleted) == ['virt-launcher-db-x7k2p'],
          f'target ready: deletes the running launcher pod only ({deleted}, {error})')
    iterate_until(lambda: events, 'the pod watch event')
    check(events == [(Cclm.WatchEventType.DELETED, 'virt-launcher-db-x7k2p')],
          f'the pod went at once: one DELETED event, no graceful MODIFIED first ({events})')
    watch.stop()
    now = snapshot(both)
    gone = ('east', 'pods', 'vms', 'virt-launcher-db-x7k2p')
    check(diff(before, now) == [gone] and gone not in now,
          'nothing else changed on either cluster: not the terminal launcher pod, the hotplug '
          'pod with the same created-by label, the other VMIs\' pods, the VMIs or the VM '
          f'({diff(before, now)})')
finally:
    fleet.stop()
sys.exit(exit_status())
