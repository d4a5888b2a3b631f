#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The capacity API from Python: inventories loaded from saved Lists, fit, batch, suggest, JSON.

Usage: test-capacity-gi.py DATADIR (tests/data/capacity); prints TAP.
"""
import json
import os
import sys

import gi

gi.require_version('Cclm', '1.0')
gi.require_version('Gio', '2.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, Gio, GLib, Json  # noqa: E402

datadir = sys.argv[1]
results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def load(inv, kind, name):
    stream = Gio.File.new_for_path(os.path.join(datadir, name)).read(None)
    inv.load(kind, stream, None)


def to_py(node):
    return json.loads(Json.to_string(node, False))


fixture = [('Node', 'nodes.json'), ('Pod', 'pods-1.json'), ('Pod', 'pods-2.json'),
           ('StorageClass', 'storageclasses.json'), ('CSIDriver', 'csidrivers.json'),
           ('CSIStorageCapacity', 'csistoragecapacities.json'),
           ('ResourceQuota', 'quotas.json'), ('VirtualMachine', 'vms.json')]
east = Cclm.Inventory.new('east')
west = Cclm.Inventory.new('west')
changes = []
west.connect('changed', lambda inv: changes.append(inv.get_cluster_name()))
for kind, name in fixture:
    load(east, kind, name)
for kind, name in fixture[:4]:
    load(west, kind, name)
check('inventories loaded', east.get_n_pods() == 6 and west.get_n_nodes() == 4,
      f'{east.get_n_pods()} pods, {west.get_n_nodes()} nodes')
check('changed signal per page', changes == ['west'] * 4, str(changes))

try:
    east.load('Gadget', Gio.MemoryInputStream.new_from_data(b'{}'), None)
    check('unknown kind refused', False)
except GLib.Error as e:
    check('unknown kind refused', e.matches(Cclm.error_quark(), Cclm.Error.INVALID_ARGUMENT),
          e.message)

cap = Cclm.Capacity.new(west)
verdict = cap.fit(east, 'ns/web', None)
doc = to_py(verdict.to_json())
check('fit verdict', verdict.get_fits() and doc['fits'] and doc['schema'] == Cclm.FIT_SCHEMA,
      json.dumps(doc)[:300])
# worker-2 is not-ready, worker-3 cordoned; the VM tolerates worker-4's taint and it has the
# most free memory; west has no CSIDriver, so the disk is unchecked
check('placed on the roomiest usable node', verdict.get_node() == 'worker-4', verdict.get_node())
check('unchecked storage is a warning',
      [w.get_kind() for w in verdict.get_warnings()] == [Cclm.FitReasonKind.STORAGE],
      '; '.join(w.get_message() for w in verdict.get_warnings()))
check('memory request in bytes',
      doc['requests']['memory']['bytes'] == verdict.get_memory_request() > 8 * 2**30)
check('disk kept its class', doc['disks'][0]['storageClass'] == 'fast' and
      doc['disks'][0]['size']['bytes'] == 30 * 2**30, str(doc['disks']))

# a batch: place the same VM until it no longer fits; each placement consumed capacity
placed = 1
while True:
    v = cap.fit(east, 'ns/web', None)
    if not v.get_fits():
        break
    placed += 1
kinds = [r.get_kind() for r in v.get_reasons()]
check('batch ends with a reason', placed > 1 and len(kinds) > 0, f'{placed} placed, {kinds}')
check('reason message starts with its kind',
      all(r.get_message().startswith(r.get_kind().value_nick + ': ') for r in v.get_reasons()),
      '; '.join(r.get_message() for r in v.get_reasons()))

try:
    cap.fit(east, 'ns/missing', None)
    check('missing VM', False)
except GLib.Error as e:
    check('missing VM', e.matches(Cclm.error_quark(), Cclm.Error.NOT_FOUND), e.message)

ranked = Cclm.Capacity.suggest(east, [east, west], ['ns/web'], ['fast=nfs'])
check('suggest skips the source', [c.get_cluster() for c in ranked] == ['west'],
      str([c.get_cluster() for c in ranked]))
cand = to_py(ranked[0].to_json())
check('candidate JSON', cand['cluster'] == 'west' and 'explanation' in cand and
      len(cand['verdicts']) == 1, json.dumps(cand)[:300])

capdoc = to_py(Cclm.Capacity.new(west).to_json())
check('capacity JSON', capdoc['cluster'] == 'west' and len(capdoc['nodes']) == 4 and
      capdoc['totals']['allocatable']['cpu']['millicores'] == 128500,
      json.dumps(capdoc['totals'])[:300])

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok and detail:
        print(f'# {detail}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
