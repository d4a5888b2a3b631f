#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Cclm.Fleet through PyGObject, asynchronously from a GLib main loop, against cclm-sim on
tests/data/cli-fleet plus a context "gone" whose server refuses connections; then
examples/fleet-suggest.py on the same fleet.
Usage: test-fleet-gi.py CCLM_SIM FLEET_DIR EXAMPLE"""
import json
import os
import socket
import subprocess
import sys
import tempfile

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, Gio, GLib, Json  # noqa: E402

from simfleet import SimFleet  # noqa: E402
from tap import check, exit_status, run_async  # noqa: E402

sim, fleet_dir, example = sys.argv[1:4]


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def is_error(e, domain, code):
    return isinstance(e, GLib.Error) and e.matches(domain, code)


def call(start, finish):
    """Runs an async call from a main loop; returns (result, GLib.Error)."""
    res = run_async(start)
    try:
        return finish(res), None
    except GLib.Error as e:
        return None, e


# roomy answers slowly, so that a load cancelled when its first member ends is surely mid-way
sim_fleet = SimFleet(sim, fleet_dir, args=['--faults', 'roomy:latency=300'])
tmp = tempfile.TemporaryDirectory()
try:
    print('1..9')
    gone = os.path.join(tmp.name, 'gone')
    with open(gone, 'w') as f:
        f.write(f"""apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster: {{server: "https://127.0.0.1:{closed_port()}"}}
users:
- name: nobody
  user: {{token: not-a-secret}}
contexts:
- name: gone
  context: {{cluster: gone, user: nobody}}
""")
    os.environ['KUBECONFIG'] = f'{sim_fleet.kubeconfig}:{gone}'
    kubeconfig = Cclm.Kubeconfig.load(None)
    contexts = kubeconfig.get_contexts()

    fleet = Cclm.Fleet.new(kubeconfig)
    loaded = []
    fleet.connect('member-loaded', lambda _fleet, context: loaded.append(context))
    ok, error = call(lambda cb: fleet.load_async(None, False, None, cb), fleet.load_finish)
    check(ok and error is None and sorted(loaded) == sorted(contexts)
          and fleet.get_contexts() == contexts,
          f'load: every context, member-loaded once each ({loaded})')
    roomy = fleet.get_inventory('roomy')
    check(isinstance(roomy, Cclm.Inventory) and roomy.get_n_nodes() > 0
          and fleet.get_error('roomy') is None and fleet.get_inventory('gone') is None
          and is_error(fleet.get_error('gone'), Cclm.error_quark(), Cclm.Error.NETWORK)
          and 'not-a-secret' not in fleet.get_error('gone').message,
          f'the unreachable member carries its error: {fleet.get_error("gone")}')

    report = json.loads(Json.to_string(fleet.capacity_to_json(), False))
    clusters = report.get('clusters', {})
    check(report.get('schema') == 'cclm.capacity/v1' and sorted(clusters) == sorted(contexts)
          and clusters['gone']['error']['code'] == 'network' and clusters['roomy']['nodes'],
          'capacity_to_json: every member, the unreachable one with its error')

    verdicts, error = call(lambda cb: fleet.fit_async('source', ['apps/demo', 'apps/small'],
                                                      'fragmented', None, None, cb),
                           fleet.fit_finish)
    check(error is None and [(v.get_vm(), v.get_fits()) for v in verdicts]
          == [('apps/demo', False), ('apps/small', True)],
          'fit: a batch judged together')
    _, error = call(lambda cb: fleet.fit_async('source', ['apps/demo'], 'gone', None, None, cb),
                    fleet.fit_finish)
    check(is_error(error, Cclm.error_quark(), Cclm.Error.NETWORK) and '"gone"' in error.message,
          f'fit to an unreachable target: {error}')
    _, error = call(lambda cb: fleet.fit_async('source', ['apps/nope'], 'roomy', None, None, cb),
                    fleet.fit_finish)
    check(is_error(error, Cclm.error_quark(), Cclm.Error.NOT_FOUND)
          and 'apps/nope' in error.message and '"source"' in error.message,
          f'fit of a missing VM: {error}')

    candidates, error = call(lambda cb: fleet.suggest_async('source', ['apps/demo'], None, None,
                                                            cb),
                             fleet.suggest_finish)
    ranked = [(c.get_cluster(), c.get_fits(), c.get_error() is not None) for c in candidates]
    check(error is None and ranked[0] == ('roomy', True, False)
          and ranked[-1] == ('gone', False, True) and 'source' not in [c for c, _, _ in ranked] and len(ranked) == len(contexts) - 1,
          f'suggest: fitting first, the unreachable cluster last with its error ({ranked})')

    # a new fleet: cancelled while loading
    other = Cclm.Fleet.new(kubeconfig)
    cancellable = Gio.Cancellable()
    other.connect('member-loaded', lambda _fleet, _context: cancellable.cancel())
    _, error = call(lambda cb: other.load_async(None, False, cancellable, cb), other.load_finish)
    check(is_error(error, Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
          and 'roomy' not in other.get_contexts() and other.get_inventory('roomy') is None,
          f'cancelled mid-load: {error}, {len(other.get_contexts())} members ended')

    p = subprocess.run([sys.executable, example, 'source', 'apps/demo', 'apps/small'],
                       capture_output=True, text=True, timeout=120)
    lines = [line.split('\t') for line in p.stdout.splitlines()]
    check(p.returncode == 0 and lines[0][:2] == ['roomy', 'fits']
          and lines[-1][:2] == ['gone', 'unreachable'] and 'read gone' in p.stderr,
          f'examples/fleet-suggest.py: exit {p.returncode}, {[line[:2] for line in lines]} '
          f'{p.stderr[-300:]!r}')
finally:
    # let the cancelled loads wind down and drop the inventories before the simulator stops
    fleet = other = roomy = candidates = verdicts = None
    while GLib.MainContext.default().iteration(False):
        pass
    tmp.cleanup()
    sim_fleet.stop()
sys.exit(exit_status())
