#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The demo fleet through the real API and kubectl: usage test-sim-demo.py CCLM_SIM FLEET_DIR.

Serves examples/fleet with cclm-sim, then checks with kubectl (skipped where absent) what the
README's demo relies on: every context answers, the quota's 403, and the demo VM's receiver on
each target. Prints TAP."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SIM, FLEET = sys.argv[1], sys.argv[2]
KUBECTL = shutil.which("kubectl")
TMP = tempfile.mkdtemp(prefix="test-sim-demo-")
KUBECONFIG = os.path.join(TMP, "kubeconfig")


def poll(what, check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def kubectl(context, *args, stdin=None):
    cmd = [KUBECTL, "--kubeconfig", KUBECONFIG, "--cache-dir", os.path.join(TMP, "cache"),
           "--context", context, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, input=stdin)


def vmi(context):
    r = kubectl(context, "get", "vmi", "-n", "vm-prod", "db-01", "-o", "json")
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def main():
    if KUBECTL is None:
        print("1..0 # SKIP kubectl not installed")
        return 0
    log = open(os.path.join(TMP, "sim.log"), "w")
    proc = subprocess.Popen([SIM, "--fleet", FLEET, "--kubeconfig", KUBECONFIG],
                            stdout=log, stderr=subprocess.STDOUT)
    results = []
    try:
        poll("the kubeconfig", lambda: os.path.exists(KUBECONFIG) or proc.poll() is not None)
        assert proc.poll() is None, "cclm-sim exited"

        def every_context():
            for c in ["east", "west", "north", "south", "central"]:
                r = kubectl(c, "get", "nodes")
                assert r.returncode == 0 and c + "-w1" in r.stdout, (c, r.stdout, r.stderr)
            r = kubectl("east", "get", "vmi", "-n", "vm-prod")
            assert "db-01" in r.stdout and "Running" in r.stdout, r.stdout

        def quota_403():
            pod = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "too-big", "namespace": "vm-prod"},
                   "spec": {"containers": [{"name": "c", "image": "registry.example.com/x:1",
                                            "resources": {"requests": {"cpu": "1",
                                                                       "memory": "200Gi"}}}]}}
            r = kubectl("west", "create", "-f", "-", stdin=json.dumps(pod))
            assert r.returncode != 0, r.stdout
            assert ('Error from server (Forbidden): error when creating "STDIN": pods "too-big" '
                    'is forbidden: exceeded quota: compute-quota, requested: '
                    'requests.memory=200Gi, used: requests.memory=0, limited: '
                    'requests.memory=160Gi') in r.stderr, r.stderr

        def receivers():
            r = kubectl("east", "get", "vm", "-n", "vm-prod", "db-01", "-o", "json")
            vm = json.loads(r.stdout)
            for k in ["uid", "resourceVersion", "creationTimestamp", "generation",
                      "managedFields"]:
                vm["metadata"].pop(k, None)
            vm.pop("status", None)
            want = {"west": ("Running", None),
                    "north": ("Scheduling", "3 Insufficient memory."),
                    "south": ("Scheduling", "3 node(s) did not have enough free storage."),
                    "central": ("Scheduling", "5 Insufficient memory.")}
            for c, (phase, reason) in want.items():
                r = kubectl(c, "create", "-f", "-", stdin=json.dumps(vm))
                assert r.returncode == 0, r.stderr

                def reached(c=c, phase=phase, reason=reason):
                    v = vmi(c)
                    if v is None or v.get("status", {}).get("phase") != phase:
                        return False
                    conds = {x["type"]: x for x in v["status"].get("conditions", [])}
                    return reason is None or reason in conds.get("PodScheduled", {}).get(
                        "message", "")
                poll("%s: db-01 %s" % (c, phase), reached)

        for name, fn in [("every context serves the demo fleet", every_context),
                         ("kubectl create over quota: 403 exceeded quota", quota_403),
                         ("db-01's receiver: fits on west, not on north, south, central",
                          receivers)]:
            try:
                fn()
                results.append((True, name, ""))
            except AssertionError as e:
                results.append((False, name, str(e)))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    print("1..%d" % len(results))
    for i, (ok, name, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        for line in why.splitlines():
            print("# " + line)
    if not all(ok for ok, _, _ in results):
        print("# cclm-sim log:\n# " + open(os.path.join(TMP, "sim.log")).read().replace("\n", "\n# "))
    shutil.rmtree(TMP, ignore_errors=True)
    return 0 if all(ok for ok, _, _ in results) else 1


sys.exit(main())
