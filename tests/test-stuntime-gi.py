#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stuntime API from Python through GObject-Introspection: a run with an outage made by
switching the responder off, its signals, its JSON, and its errors."""
import json
import time

import gi
gi.require_version('Cclm', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import Cclm, GLib, Json  # noqa: E402

results = []


def check(name, cond, detail=''):
    results.append((name, bool(cond), detail))


def run(probe):
    loop = GLib.MainLoop()
    out = {}

    def done(p, res):
        try:
            out['report'] = p.run_finish(res)
        except GLib.Error as e:
            out['error'] = e
        loop.quit()

    probe.run_async(None, done)
    loop.run()
    return out


responder = Cclm.StuntimeResponder.new('127.0.0.1', 0)
probe = Cclm.StuntimeProbe.new(f'127.0.0.1:{responder.get_port()}', Cclm.StuntimeMode.UDP)
probe.props.interval = 10
probe.props.duration = 1000
events = []
probe.connect('lost', lambda p, since: events.append(('lost', since)))
probe.connect('recovered', lambda p, gap: events.append(('recovered', gap)))
window = {}


def off():
    responder.props.active = False
    window['off'] = time.monotonic()
    GLib.timeout_add(150, on)
    return GLib.SOURCE_REMOVE


def on():
    responder.props.active = True
    window['on'] = time.monotonic()
    return GLib.SOURCE_REMOVE


GLib.timeout_add(300, off)
out = run(probe)
report = out.get('report')
check('run_finish returns a report', report is not None, out.get('error'))
outage_us = (window['on'] - window['off']) * 1e6
check('the longest gap covers the outage',
      outage_us <= report.get_longest_gap() < outage_us + 130000,
      f'{report.get_longest_gap()} us for {outage_us:.0f} us')
kinds = [e[0] for e in events]
check('lost and recovered signals', kinds[:1] == ['lost'] and kinds.count('lost') ==
      kinds.count('recovered') and max(e[1] for e in events if e[0] == 'recovered')
      == report.get_longest_gap(), events)
check('sent = received + lost', 90 <= report.get_sent() <= 100
      and report.get_received() + report.get_lost() == report.get_sent())
report.add_phase_from_string('outage=+300ms')
data = json.loads(Json.to_string(report.to_json(), False))
check('JSON through Json-1.0', data['mode'] == 'udp' and data['phases'][0]['name'] == 'outage'
      and data['lost'] == report.get_lost(), data)

# the blocking twin, against a closed TCP port (each probe refused: reachable)
import socket  # noqa: E402
with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    closed = s.getsockname()[1]
sync = Cclm.StuntimeProbe(target=f'127.0.0.1:{closed}', mode=Cclm.StuntimeMode.TCP,
                          duration=300)
report = sync.run_sync(None)
check('run_sync against a closed port', report.get_lost() == 0
      and 25 <= report.get_sent() <= 30, (report.get_sent(), report.get_lost()))

bad = Cclm.StuntimeProbe(target='127.0.0.1', mode=Cclm.StuntimeMode.TCP)
out = run(bad)
err = out.get('error')
check('errors are GLib.Error in the Cclm domain',
      err is not None and err.matches(Cclm.error_quark(), Cclm.Error.INVALID_ARGUMENT)
      and 'needs a port' in err.message, err)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        print(f'# {detail}')
raise SystemExit(0 if all(ok for _, ok, _ in results) else 1)
