#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cclm stuntime` end to end: the responder, the JSON it prints, its exit statuses, its bounds,
and (as root) real outages made by taking a veth link down between two network namespaces the
test creates and removes. Usage: test-stuntime-cli.py CCLM"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CCLM = sys.argv[1]
results = []


def check(name, cond, detail=''):
    results.append((name, bool(cond), detail))


def skip(name, why):
    results.append((name, None, why))


def free_udp_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def cclm(*args, ns=None, nobody=False, timeout=30):
    cmd = [CCLM, *args]
    if nobody:
        cmd = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', *cmd]
    if ns is not None:
        cmd = ['ip', 'netns', 'exec', ns, *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def start(*args, ns=None):
    cmd = [CCLM, *args]
    if ns is not None:
        cmd = ['ip', 'netns', 'exec', ns, *cmd]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_responder(target, ns=None):
    """Polls the responder with short probes until it answers."""
    for _ in range(50):
        r = cclm('-o', 'json', 'stuntime', target, '--mode', 'udp', '--duration', '20ms',
                 '--interval', '10ms', ns=ns)
        if r.returncode == 0 and json.loads(r.stdout)['received'] > 0:
            return True
    return False


def test_udp_json():
    port = free_udp_port()
    responder = start('-o', 'json', 'stuntime', '--listen', f'127.0.0.1:{port}', '--duration', '20s')
    try:
        check('responder answers', wait_responder(f'127.0.0.1:{port}'))
        with tempfile.NamedTemporaryFile('w', suffix='.phases') as phases:
            phases.write('# written by a migration driver\nswitchover=+500ms\n')
            phases.flush()
            began = time.monotonic()
            r = cclm('-o', 'json', 'stuntime', f'127.0.0.1:{port}', '--mode', 'udp',
                     '--interval', '10ms', '--duration', '1s', '--phase', 'start=0',
                     '--phase-file', phases.name)
            took = time.monotonic() - began
        check('udp run exits 0', r.returncode == 0, r.stderr)
        report = json.loads(r.stdout)
        expected = {'target': str, 'address': str, 'mode': str, 'interval_ms': int,
                    'started': str, 'duration_ms': float, 'stopped': bool, 'sent': int,
                    'received': int, 'lost': int, 'late': int, 'duplicates': int,
                    'send_errors': int, 'longest_gap_ms': float, 'first_lost_ms': type(None),
                    'last_lost_ms': type(None), 'rtt_ms': dict, 'gaps': list,
                    'accuracy': dict, 'phases': list}
        check('JSON members and types',
              all(isinstance(report.get(k), t) for k, t in expected.items()),
              json.dumps(report))
        check('JSON accuracy members',
              set(report['accuracy']) >= {'timer_resolution_ns', 'send_jitter_p50_us',
                                          'send_jitter_p99_us', 'send_jitter_max_us',
                                          'skipped_slots', 'receive_timestamps',
                                          'receive_delay_p99_us'})
        # slots are sent or, on a loaded machine, skipped (an accuracy figure)
        check('udp counts', report['sent'] + report['accuracy']['skipped_slots'] == 100
              and report['received'] == report['sent'] and report['lost'] == 0,
              f"{report['sent']} {report['received']} {report['lost']}")
        check('phases from --phase and --phase-file',
              [p['name'] for p in report['phases']] == ['start', 'switchover']
              and report['phases'][1]['at_ms'] == 500, json.dumps(report['phases']))
        check('the duration bounds the run', took < 1 + 2, f'{took:.2f} s')

        r = cclm('stuntime', f'127.0.0.1:{port}', '--mode', 'udp', '--duration', '100ms')
        check('table output', r.returncode == 0 and 'LONGEST GAP MS' in r.stdout
              and 'Accuracy' in r.stdout, r.stdout)

        # SIGINT ends a long run early, with a report
        probe = start('-o', 'json', 'stuntime', f'127.0.0.1:{port}', '--mode', 'udp',
                      '--duration', '1h')
        time.sleep(0.5)  # let it probe for a while before asking it to stop
        probe.send_signal(signal.SIGINT)
        out, err = probe.communicate(timeout=10)
        report = json.loads(out)
        check('SIGINT stops with a report', probe.returncode == 0 and report['stopped']
              and 10 <= report['sent'] < 1000 and report['lost'] == 0, err + out[:200])
    finally:
        responder.send_signal(signal.SIGTERM)
        out, err = responder.communicate(timeout=10)
    check('responder exits 0 on SIGTERM and counts', responder.returncode == 0
          and json.loads(out)['sent'] >= 100, err)


def test_ipv6():
    port = free_udp_port()
    responder = start('stuntime', '--listen', f'[::1]:{port}', '--duration', '3s')
    try:
        ok = wait_responder(f'[::1]:{port}')
        r = cclm('-o', 'json', 'stuntime', f'[::1]:{port}', '--mode', 'udp', '--duration', '300ms')
        report = json.loads(r.stdout) if r.stdout else {}
        check('udp over IPv6', ok and r.returncode == 0 and report.get('lost') == 0
              and report.get('address') == f'[::1]:{port}', r.stderr + r.stdout[:200])
    finally:
        responder.kill()
        responder.communicate()


def test_unreachable():
    port = free_udp_port()
    r = cclm('-o', 'json', 'stuntime', f'127.0.0.1:{port}', '--mode', 'udp', '--duration',
             '300ms')
    report = json.loads(r.stdout)
    check('no answer at all exits 1', r.returncode == 1 and report['received'] == 0
          and report['lost'] == report['sent']
          and report['sent'] + report['accuracy']['skipped_slots'] == 30
          and report['gaps'][0]['open'],
          r.stderr + r.stdout[:300])


def test_usage_errors():
    cases = [
        (['stuntime'], 'expected a TARGET'),
        (['stuntime', '127.0.0.1', '127.0.0.2'], 'expected one TARGET'),
        (['stuntime', '127.0.0.1', '--interval', '0ms'], '--interval "0ms"'),
        (['stuntime', '127.0.0.1', '--interval', '20s'], 'interval: 20000 ms'),
        (['stuntime', '127.0.0.1', '--interval', '1.5ms'], '--interval "1.5ms"'),
        (['stuntime', '127.0.0.1', '--duration', '2h'], 'duration: 7200000 ms'),
        (['stuntime', '127.0.0.1', '--duration', 'soon'], '--duration "soon"'),
        (['stuntime', '127.0.0.1', '--mode', 'arp'], '--mode "arp"'),
        (['stuntime', 'bad host!'], 'neither an IP address nor a host name'),
        (['stuntime', '127.0.0.1', '--mode', 'tcp'], 'needs a port'),
        (['stuntime', '127.0.0.1', '--bogus'], 'bogus'),
        (['stuntime', '127.0.0.1', '--duration', '50ms', '--phase', 'nothing'],
         'phase "nothing"'),
        (['stuntime', '127.0.0.1', '--duration', '50ms', '--phase-file', '/nonexistent/p'],
         '--phase-file'),
        (['stuntime', '--listen', '99999'], '--listen "99999"'),
        (['stuntime', '--listen', '5555', '127.0.0.1'], 'takes no TARGET'),
    ]
    for args, message in cases:
        r = cclm(*args)
        check(f'usage error: {" ".join(args[1:])}', r.returncode == 2 and message in r.stderr
              and r.stdout == '', f'exit {r.returncode}: {r.stderr}')


class Lab:
    """Two namespaces joined by a veth pair; only addresses inside them."""

    def __init__(self):
        tag = f'cclm-st{os.getpid()}'
        self.a, self.b = f'{tag}-a', f'{tag}-b'

    def ip(self, *args):
        subprocess.run(['ip', *args], check=True, capture_output=True)

    def __enter__(self):
        self.ip('netns', 'add', self.a)
        self.ip('netns', 'add', self.b)
        self.ip('-n', self.a, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb',
                'netns', self.b)
        for ns, dev, addr, addr6 in ((self.a, 'va', '10.199.0.1/24', 'fd00:199::1/64'),
                                     (self.b, 'vb', '10.199.0.2/24', 'fd00:199::2/64')):
            self.ip('-n', ns, 'addr', 'add', addr, 'dev', dev)
            self.ip('-n', ns, 'addr', 'add', addr6, 'dev', dev, 'nodad')
            self.ip('-n', ns, 'link', 'set', 'lo', 'up')
            self.ip('-n', ns, 'link', 'set', dev, 'up')
            # IPv6 would drop the address with the link
            subprocess.run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw',
                            f'net.ipv6.conf.{dev}.keep_addr_on_down=1'], check=True)
        # Permanent neighbours: the outage is then the link's alone. Otherwise a carrier loss
        # flushes them, and traffic that keeps trying (TCP SYNs) waits for ARP's 1 s retry.
        for ns, dev, peer_ns, peer_dev, addrs in (
                (self.a, 'va', self.b, 'vb', ('10.199.0.2', 'fd00:199::2')),
                (self.b, 'vb', self.a, 'va', ('10.199.0.1', 'fd00:199::1'))):
            link = json.loads(subprocess.run(['ip', '-j', '-n', peer_ns, 'link', 'show', peer_dev],
                                             check=True, capture_output=True, text=True).stdout)
            for addr in addrs:
                self.ip('-n', ns, 'neigh', 'replace', addr, 'lladdr', link[0]['address'], 'dev',
                        dev, 'nud', 'permanent')
        return self

    def __exit__(self, *exc):
        for ns in (self.a, self.b):
            subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)


def netns_unusable():
    """Why network namespaces cannot be entered here (a chroot whose / is no mount point
    refuses `ip netns exec`), or None."""
    name = f'cclm-probe-{os.getpid()}'
    try:
        add = subprocess.run(['ip', 'netns', 'add', name], capture_output=True, text=True)
        if add.returncode != 0:
            return add.stderr.strip()
        enter = subprocess.run(['ip', 'netns', 'exec', name, 'true'], capture_output=True,
                               text=True)
        return None if enter.returncode == 0 else enter.stderr.strip()
    finally:
        subprocess.run(['ip', 'netns', 'del', name], capture_output=True)


def test_link_down():
    if os.geteuid() != 0 or shutil.which('ip') is None:
        skip('outage in network namespaces', 'needs root and iproute2')
        return
    why = netns_unusable()
    if why is not None:
        skip('outage in network namespaces', f'network namespaces unusable here: {why}')
        return
    with Lab() as lab:
        responder = start('stuntime', '--listen', '7777', '--duration', '60s', ns=lab.b)
        try:
            check('responder answers in the namespace', wait_responder('10.199.0.2:7777', lab.a))
            for mode, target in (('udp', '10.199.0.2:7777'), ('tcp', '10.199.0.2:9'),
                                 ('icmp', '10.199.0.2'), ('udp', '[fd00:199::2]:7777'),
                                 ('tcp', '[fd00:199::2]:9'), ('icmp', 'fd00:199::2')):
                probe = start('-o', 'json', 'stuntime', target, '--mode', mode, '--duration',
                              '1.5s', ns=lab.a)
                time.sleep(0.4)  # the outage starts 0.4 s into the run
                before_down = time.monotonic()
                lab.ip('-n', lab.b, 'link', 'set', 'vb', 'down')
                after_down = time.monotonic()
                time.sleep(0.3)  # the outage itself
                before_up = time.monotonic()
                lab.ip('-n', lab.b, 'link', 'set', 'vb', 'up')
                after_up = time.monotonic()
                out, err = probe.communicate(timeout=10)
                report = json.loads(out) if out else {}
                gap = report.get('longest_gap_ms', 0)
                shortest = (before_up - after_down) * 1000
                longest = (after_up - before_down) * 1000
                check(f'{mode} {target}: the gap covers the link outage',
                      shortest <= gap < longest + 3 * 10 + 100 and report.get('lost', 0) > 0
                      # one outage lost probes; a loaded machine may add short delays
                      and len([g for g in report.get('gaps', []) if g['lost'] > 0]) == 1,
                      f'gap {gap} ms, link down {shortest:.1f}-{longest:.1f} ms, '
                      f'lost {report.get("lost")}, gaps {report.get("gaps")} {err}')
        finally:
            responder.kill()
            responder.communicate()

        # icmp without privilege: refused clearly, then through a ping socket once the
        # namespace's net.ipv4.ping_group_range lets every group in
        if shutil.which('setpriv') is None:
            skip('icmp through an unprivileged ping socket', 'needs setpriv')
            return
        # an unprivileged user cannot run a build inside a private (0700) checkout directory
        r = cclm('--version', nobody=True)
        if r.returncode != 0:
            skip('icmp through an unprivileged ping socket',
                 f'uid 65534 cannot run {CCLM}: {r.stderr.strip()}')
            return
        subprocess.run(['ip', 'netns', 'exec', lab.a, 'sysctl', '-qw',
                        'net.ipv4.ping_group_range=1 0'], check=True)
        r = cclm('stuntime', '10.199.0.2', '--duration', '100ms', ns=lab.a, nobody=True)
        check('icmp without ping socket nor CAP_NET_RAW: exit 5',
              r.returncode == 5 and 'net.ipv4.ping_group_range' in r.stderr, r.stderr)
        subprocess.run(['ip', 'netns', 'exec', lab.a, 'sysctl', '-qw',
                        'net.ipv4.ping_group_range=0 2147483647'], check=True)
        for target in ('10.199.0.2', 'fd00:199::2'):
            r = cclm('-o', 'json', 'stuntime', target, '--duration', '300ms', ns=lab.a,
                     nobody=True)
            report = json.loads(r.stdout) if r.stdout else {}
            check(f'icmp {target} through an unprivileged ping socket',
                  r.returncode == 0 and report.get('lost') == 0 and report.get('received', 0) > 0,
                  r.stderr + r.stdout[:300])


test_udp_json()
test_ipv6()
test_unreachable()
test_usage_errors()
test_link_down()
print(f'1..{len(results)}')
failed = False
for i, (name, ok, detail) in enumerate(results, 1):
    if ok is None:
        print(f'ok {i} - {name} # SKIP {detail}')
    elif ok:
        print(f'ok {i} - {name}')
    else:
        failed = True
        print(f'not ok {i} - {name}')
        for line in str(detail).splitlines():
            print(f'# {line}')
sys.exit(1 if failed else 0)
