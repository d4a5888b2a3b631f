#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""cclm-sim against the real kubectl and raw HTTPS: usage test-sim.py CCLM_SIM FLEET_DIR.

Prints TAP. kubectl's own requests are never counted (it sends an extra GET /version)."""

import base64
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

SIM, FLEET = sys.argv[1], sys.argv[2]
KUBECTL = "/usr/bin/kubectl"
TMP = tempfile.mkdtemp(prefix="test-sim-")
KUBECONFIG = os.path.join(TMP, "kubeconfig")
ADMIN = "admin-token"
results = []


def poll(what, check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class Sim:
    def __init__(self, fleet, *args):
        if os.path.exists(KUBECONFIG):
            os.unlink(KUBECONFIG)
        self.log_path = os.path.join(TMP, "sim.log")
        self.log = open(self.log_path, "w")
        # trees trimmed all the time: a use after a trim shows up here (and under ASan)
        env = dict(os.environ, CCLM_SIM_PARSED_MAX="4")
        self.proc = subprocess.Popen([SIM, "--fleet", fleet, "--kubeconfig", KUBECONFIG, *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        poll("the kubeconfig", lambda: os.path.exists(KUBECONFIG) or self.proc.poll() is not None)
        assert self.proc.poll() is None, "cclm-sim exited: " + self.output()
        text = open(KUBECONFIG).read()
        self.servers = dict(re.findall(r'- name: "([^"]+)"\n  cluster:\n    server: (\S+)', text))
        ca = re.search(r"certificate-authority-data: (\S+)", text).group(1)
        self.ca = os.path.join(TMP, "ca.pem")
        with open(self.ca, "wb") as f:
            f.write(base64.b64decode(ca))
        self.ctx = ssl.create_default_context(cafile=self.ca)

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def port(self, cluster):
        return urllib.parse.urlsplit(self.servers[cluster]).port

    def conn(self, cluster, timeout=10):
        return http.client.HTTPSConnection("127.0.0.1", self.port(cluster), context=self.ctx,
                                           timeout=timeout)

    def request(self, method, path, body=None, token=ADMIN, cluster="east", headers=None,
                content_type="application/json"):
        conn = self.conn(cluster)
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if body is not None:
            hdrs["Content-Type"] = content_type
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = data.decode(errors="replace")
        return resp.status, parsed, resp

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        return rc


def kubectl(*args, timeout=60, context="east"):
    cmd = [KUBECTL, "--kubeconfig", KUBECONFIG, "--cache-dir", os.path.join(TMP, "cache"),
           "--context", context, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def status_of(body):
    assert isinstance(body, dict) and body.get("kind") == "Status", body
    return body["code"], body.get("reason"), body.get("message")


def test(name, needs_kubectl=False):
    def wrap(fn):
        results.append((name, fn, needs_kubectl))
        return fn
    return wrap


# kubectl


@test("kubectl get nodes prints the server's table", True)
def _(sim):
    r = kubectl("get", "nodes")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], lines[0]
    assert re.match(r"east-w1\s+Ready\s+worker\s+\d+d\s+v1\.32\.4$", lines[1]), lines[1]
    assert re.match(r"east-w2\s+NotReady,SchedulingDisabled\s+worker\s+", lines[2]), lines[2]


@test("kubectl get -o json", True)
def _(sim):
    r = kubectl("get", "pods", "-n", "vms", "-o", "json")
    assert r.returncode == 0, r.stderr
    names = sorted(i["metadata"]["name"] for i in json.loads(r.stdout)["items"])
    assert names == ["web-1", "web-2"], names


@test("kubectl get --chunk-size follows continue tokens", True)
def _(sim):
    r = kubectl("get", "pods", "-A", "--chunk-size=1", "-v=6")
    assert r.returncode == 0, r.stderr
    gets = re.findall(r"GET https://\S+/api/v1/pods\?(\S+) 200", r.stderr)
    assert len(gets) == 2 and "continue=" in gets[1], gets
    assert re.search(r"^vms\s+web-1\s+1/1\s+Running\s+2\s+", r.stdout, re.M), r.stdout
    assert re.search(r"^vms\s+web-2\s+\d/1\s+\S+\s+\d+\s+", r.stdout, re.M), r.stdout


@test("kubectl get vm uses the CRD columns and short names", True)
def _(sim):
    r = kubectl("get", "vm", "-A")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split() == ["NAMESPACE", "NAME", "AGE", "STATUS", "READY"]
    assert re.search(r"^vms\s+vm1\s+\d+\w\s+\S+", r.stdout, re.M), r.stdout


@test("kubectl get --watch sees a new pod", True)
def _(sim):
    proc = subprocess.Popen([KUBECTL, "--kubeconfig", KUBECONFIG, "--cache-dir",
                             os.path.join(TMP, "cache"), "--context", "east", "get", "pods",
                             "-n", "vms", "--watch", "--output-watch-events"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        header = proc.stdout.readline()
        assert header.split()[:3] == ["EVENT", "NAME", "READY"], header
        line = header
        while "web-2" not in line:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
        code, body, _ = sim.request("POST", "/api/v1/namespaces/vms/pods", {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "watched"},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
        assert code == 201, body
        line = proc.stdout.readline()
        while "watched" not in line:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
        assert line.split()[0] == "ADDED", line
    finally:
        proc.kill()
        proc.wait()
    code, body, _ = sim.request("DELETE", "/api/v1/namespaces/vms/pods/watched")
    assert code == 200, body


@test("kubectl apply (client-side, default validation) creates then patches", True)
def _(sim):
    path = os.path.join(TMP, "pod.yaml")
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: applied\n  namespace: vms\n"
                "spec:\n  containers:\n  - name: c\n    image: busybox:{}\n")
    with open(path, "w") as f:
        f.write(manifest.format(1))
    r = kubectl("apply", "-f", path)
    assert r.returncode == 0 and "pod/applied created" in r.stdout, r.stdout + r.stderr
    with open(path, "w") as f:
        f.write(manifest.format(2))
    r = kubectl("apply", "-f", path, "-v=6")
    assert r.returncode == 0 and "pod/applied configured" in r.stdout, r.stdout + r.stderr
    assert "fieldValidation=Strict" in r.stderr, r.stderr
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms/pods/applied")
    assert body["spec"]["containers"][0]["image"] == "busybox:2", body
    assert "kubectl.kubernetes.io/last-applied-configuration" in body["metadata"]["annotations"]
    managers = {m["manager"] for m in body["metadata"]["managedFields"]}
    assert "kubectl-client-side-apply" in managers, managers


@test("kubectl apply --server-side: managers, conflict, --force-conflicts", True)
def _(sim):
    path = os.path.join(TMP, "vm.yaml")
    manifest = ("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm2\n"
                "  namespace: vms\nspec:\n  runStrategy: {}\n")
    with open(path, "w") as f:
        f.write(manifest.format("Halted"))
    r = kubectl("apply", "--server-side", "-f", path)
    assert r.returncode == 0 and "serverside-applied" in r.stdout, r.stdout + r.stderr
    with open(path, "w") as f:
        f.write(manifest.format("Always"))
    r = kubectl("apply", "--server-side", "--field-manager=other", "-f", path)
    assert r.returncode != 0, r.stdout
    assert 'conflict with "kubectl": .spec.runStrategy' in r.stderr, r.stderr
    r = kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", path)
    assert r.returncode == 0, r.stderr
    code, body, _ = sim.request("GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm2")
    assert body["spec"]["runStrategy"] == "Always", body
    owners = {m["manager"]: m["fieldsV1"] for m in body["metadata"]["managedFields"]}
    assert "f:runStrategy" in owners["other"]["f:spec"], owners
    assert "f:spec" not in owners.get("kubectl", {}), owners


@test("kubectl apply (client-side) of a custom resource uses a merge patch", True)
def _(sim):
    path = os.path.join(TMP, "dv.yaml")
    manifest = ("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: dv1\n"
                "  namespace: vms\n  labels: {{size: \"{}\"}}\nspec:\n  source: {{blank: {{}}}}\n")
    with open(path, "w") as f:
        f.write(manifest.format("a"))
    r = kubectl("apply", "-f", path)
    assert r.returncode == 0 and "created" in r.stdout, r.stdout + r.stderr
    with open(path, "w") as f:
        f.write(manifest.format("b"))
    r = kubectl("apply", "-f", path, "-v=6")
    assert r.returncode == 0 and "configured" in r.stdout, r.stdout + r.stderr
    assert re.search(r"PATCH https://\S+/apis/cdi.kubevirt.io/v1beta1/namespaces/vms/"
                     r"datavolumes/dv1\?\S+ 200", r.stderr), r.stderr
    code, body, _ = sim.request("GET", "/apis/cdi.kubevirt.io/v1beta1/namespaces/vms/datavolumes/dv1")
    assert body["metadata"]["labels"] == {"size": "b"}, body


@test("kubectl delete of a pod on a node returns once the kubelet removed it", True)
def _(sim):
    r = kubectl("delete", "pod", "web-1", "-n", "vms", timeout=30)
    assert r.returncode == 0 and 'pod "web-1" deleted' in r.stdout, r.stdout + r.stderr
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms/pods/web-1")
    assert code == 404, body


@test("kubectl delete of a custom resource", True)
def _(sim):
    r = kubectl("delete", "vm", "vm2", "-n", "vms", timeout=30)
    assert r.returncode == 0, r.stderr
    code, body, _ = sim.request("GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm2")
    assert code == 404, body


@test("kubectl api-resources lists built-ins, CRDs and fleet kinds", True)
def _(sim):
    r = kubectl("api-resources")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^virtualmachines\s+vm,vms\s+kubevirt.io/v1\s+true\s+VirtualMachine$",
                     r.stdout, re.M), r.stdout
    assert re.search(r"^network-attachment-definitions\s+net-attach-def,nad\s+"
                     r"k8s.cni.cncf.io/v1\s+true\s+NetworkAttachmentDefinition$", r.stdout, re.M)
    assert re.search(r"^gadgets\s+example.com/v1\s+true\s+Gadget$", r.stdout, re.M), r.stdout
    assert re.search(r"^nodes\s+no\s+v1\s+false\s+Node$", r.stdout, re.M), r.stdout


@test("kubectl auth can-i answers from the token's rights", True)
def _(sim):
    r = kubectl("auth", "can-i", "delete", "virtualmachines.kubevirt.io", "-n", "vms")
    assert r.returncode == 0 and r.stdout.strip() == "yes", r.stdout + r.stderr
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
              "spec": {"resourceAttributes": {"verb": "delete", "resource": "pods",
                                              "namespace": "vms"}}}
    path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
    code, body, _ = sim.request("POST", path, review, token="reader-token")
    assert code == 201 and body["status"]["allowed"] is False, body
    review["spec"]["resourceAttributes"]["verb"] = "list"
    code, body, _ = sim.request("POST", path, review, token="reader-token")
    assert code == 201 and body["status"]["allowed"] is True, body


@test("kubectl explain fails cleanly", True)
def _(sim):
    r = kubectl("explain", "pods")
    assert r.returncode != 0
    assert "panic" not in r.stderr and "goroutine" not in r.stderr, r.stderr
    assert r.stderr.startswith("error: "), r.stderr


# HTTP


@test("401 without or with an unknown token")
def _(sim):
    for token in (None, "nope"):
        code, body, _ = sim.request("GET", "/api/v1/pods", token=token)
        assert code == 401 and status_of(body) == (401, "Unauthorized", "Unauthorized"), body


@test("403 names user, verb, resource and namespace")
def _(sim):
    code, body, _ = sim.request("DELETE", "/api/v1/namespaces/vms/pods/web-2", token="reader-token")
    assert code == 403, body
    assert status_of(body) == (403, "Forbidden", 'pods "web-2" is forbidden: User "reader" cannot '
                               'delete resource "pods" in API group "" in the namespace "vms"')
    code, body, _ = sim.request("GET", "/api/v1/nodes", token="east-only", cluster="west")
    assert status_of(body)[2] == ('nodes is forbidden: User "easy" cannot list resource "nodes" '
                                  'in API group "" at the cluster scope'), body
    code, body, _ = sim.request("GET", "/api/v1/nodes", token="reader-token")
    assert code == 200, body


@test("404 Status for a missing object and an unknown path")
def _(sim):
    code, body, _ = sim.request("GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/nope")
    assert status_of(body) == (404, "NotFound", 'virtualmachines.kubevirt.io "nope" not found')
    assert body["details"] == {"name": "nope", "group": "kubevirt.io", "kind": "virtualmachines"}
    code, body, _ = sim.request("GET", "/apis/nothing.io/v1/things")
    assert code == 404, body


@test("409 AlreadyExists and Conflict on a stale resourceVersion")
def _(sim):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-2"},
           "spec": {"containers": [{"name": "c", "image": "i"}]}}
    code, body, _ = sim.request("POST", "/api/v1/namespaces/vms/pods", pod)
    assert status_of(body) == (409, "AlreadyExists", 'pods "web-2" already exists'), body
    code, vm, _ = sim.request("GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm1")
    stale = json.loads(json.dumps(vm))
    vm["spec"]["runStrategy"] = "Manual"
    code, body, _ = sim.request("PUT", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm1", vm)
    assert code == 200 and body["metadata"]["generation"] == 2, body
    assert int(body["metadata"]["resourceVersion"]) > int(stale["metadata"]["resourceVersion"])
    code, body, _ = sim.request("PUT", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm1",
                                stale)
    assert status_of(body) == (409, "Conflict", 'Operation cannot be fulfilled on '
                               'virtualmachines.kubevirt.io "vm1": the object has been modified; '
                               'please apply your changes to the latest version and try again')


@test("422 Invalid with causes")
def _(sim):
    code, body, _ = sim.request("POST", "/api/v1/namespaces/vms/configmaps",
                                {"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": "Bad_Name"}})
    assert code == 422 and body["reason"] == "Invalid", body
    assert body["details"]["causes"][0]["field"] == "metadata.name", body
    vm = {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
          "metadata": {"name": "vm1", "namespace": "vms"}, "spec": {}}
    code, body, _ = sim.request("PUT", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm1", vm)
    assert status_of(body) == (422, "Invalid", 'VirtualMachine.kubevirt.io "vm1" is invalid: '
                               'metadata.resourceVersion: Invalid value: 0x0: must be specified '
                               'for an update'), body


@test("415 for a strategic merge patch on a custom resource; accepted on a built-in")
def _(sim):
    code, body, _ = sim.request("PATCH", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachines/vm1",
                                {"spec": {"runStrategy": "Always"}},
                                content_type="application/strategic-merge-patch+json")
    assert status_of(body) == (415, "UnsupportedMediaType",
                               "the body of the request was in an unknown format - accepted media "
                               "types include: application/json-patch+json, "
                               "application/merge-patch+json, application/apply-patch+yaml"), body
    code, body, _ = sim.request(
        "PATCH", "/api/v1/namespaces/vms/pods/web-2",
        {"metadata": {"labels": {"smp": "yes"}},
         "spec": {"containers": [{"name": "web", "image": "nginx:2"}]}},
        content_type="application/strategic-merge-patch+json")
    assert code == 200, body
    assert body["metadata"]["labels"] == {"app": "web", "tier": "back", "smp": "yes"}, body
    assert [c["image"] for c in body["spec"]["containers"]] == ["nginx:2"], body


@test("strategic merge patch directives on a built-in kind")
def _(sim):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "smp", "finalizers": ["a.example/x", "b.example/y"]},
           "spec": {"containers": [{"name": "one", "image": "i1", "env": [{"name": "E",
                                                                           "value": "1"}]},
                                   {"name": "two", "image": "i2"}]}}
    code, body, _ = sim.request("POST", "/api/v1/namespaces/vms/pods", pod)
    assert code == 201, body
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a.example/x"],
                          "finalizers": ["c.example/z"]},
             "spec": {"$setElementOrder/containers": [{"name": "one"}],
                      "containers": [{"name": "two", "$patch": "delete"},
                                     {"name": "one", "env": [{"name": "F", "value": "2"}]}]}}
    code, body, _ = sim.request("PATCH", "/api/v1/namespaces/vms/pods/smp", patch,
                                content_type="application/strategic-merge-patch+json")
    assert code == 200, body
    assert body["metadata"]["finalizers"] == ["b.example/y", "c.example/z"], body
    assert [c["name"] for c in body["spec"]["containers"]] == ["one"], body
    assert body["spec"]["containers"][0]["env"] == [{"name": "E", "value": "1"},
                                                    {"name": "F", "value": "2"}], body
    code, body, _ = sim.request("PATCH", "/api/v1/namespaces/vms/pods/smp",
                                {"metadata": {"$patch": "replace", "name": "smp"}},
                                content_type="application/strategic-merge-patch+json")
    assert code == 200 and "finalizers" not in body["metadata"], body


@test("merge patch, JSON patch and /status")
def _(sim):
    base = "/apis/config.openshift.io/v1/networks/cluster"
    code, body, _ = sim.request("PATCH", base, {"metadata": {"labels": {"m": "1"}}},
                                content_type="application/merge-patch+json")
    assert code == 200 and body["metadata"]["labels"]["m"] == "1", body
    code, body, _ = sim.request("PATCH", base, [{"op": "replace", "path": "/metadata/labels/m",
                                                 "value": "2"}],
                                content_type="application/json-patch+json")
    assert code == 200 and body["metadata"]["labels"]["m"] == "2", body
    code, body, _ = sim.request("PATCH", base, {"status": {"clusterNetworkMTU": 9000}},
                                content_type="application/merge-patch+json")
    assert body["status"]["clusterNetworkMTU"] == 1400, "main endpoint must ignore status"
    code, body, _ = sim.request("PATCH", base + "/status",
                                {"status": {"clusterNetworkMTU": 9000},
                                 "metadata": {"labels": {"m": "ignored"}}},
                                content_type="application/merge-patch+json")
    assert code == 200 and body["status"]["clusterNetworkMTU"] == 9000, body
    assert body["metadata"]["labels"]["m"] == "2", body
    code, body, _ = sim.request("PATCH", base, [{"op": "test", "path": "/spec/networkType",
                                                 "value": "nope"}],
                                content_type="application/json-patch+json")
    assert code == 422, body


@test("server-side apply: 201 on create, 409 FieldManagerConflict, force")
def _(sim):
    path = "/api/v1/namespaces/vms/configmaps/ssa?fieldManager=a"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa"}, "data": {"k": "1"}}
    code, body, _ = sim.request("PATCH", path, cm, content_type="application/apply-patch+yaml")
    assert code == 201, body
    cm["data"]["k"] = "2"
    code, body, _ = sim.request("PATCH", path.replace("=a", "=b"), cm,
                                content_type="application/apply-patch+yaml")
    assert code == 409 and body["reason"] == "Conflict", body
    assert body["details"]["causes"] == [{"reason": "FieldManagerConflict",
                                          "message": 'conflict with "a": .data.k',
                                          "field": ".data.k"}], body
    code, body, _ = sim.request("PATCH", path.replace("=a", "=b") + "&force=true", cm,
                                content_type="application/apply-patch+yaml")
    assert code == 200 and body["data"] == {"k": "2"}, body
    code, body, _ = sim.request("PATCH", "/api/v1/namespaces/vms/configmaps/ssa", cm,
                                content_type="application/apply-patch+yaml")
    assert code == 422 and "fieldManager: Required value" in body["message"], body


@test("dryRun, deletecollection and namespace deletion")
def _(sim):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dry"}}
    code, body, _ = sim.request("POST", "/api/v1/namespaces/vms/configmaps?dryRun=All", cm)
    assert code == 201 and body["metadata"]["uid"], body
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms/configmaps/dry")
    assert code == 404, body
    code, body, _ = sim.request("POST", "/api/v1/namespaces", {
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}})
    assert code == 201 and body["status"]["phase"] == "Active", body
    for name, label in (("a", "x"), ("b", "x"), ("c", "y")):
        code, body, _ = sim.request("POST", "/api/v1/namespaces/doomed/configmaps", {
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "labels": {"l": label}}})
        assert code == 201, body
    code, body, _ = sim.request("DELETE", "/api/v1/namespaces/doomed/configmaps?labelSelector=l%3Dx")
    assert code == 200 and sorted(i["metadata"]["name"] for i in body["items"]) == ["a", "b"]
    code, body, _ = sim.request("GET", "/api/v1/namespaces/doomed/configmaps")
    assert [i["metadata"]["name"] for i in body["items"]] == ["c"], body
    code, body, _ = sim.request("DELETE", "/api/v1/namespaces/doomed")
    assert code == 200 and body["status"]["phase"] == "Terminating", body
    assert body["metadata"]["deletionTimestamp"], body
    poll("the namespace to go",
         lambda: sim.request("GET", "/api/v1/namespaces/doomed")[0] == 404)
    code, body, _ = sim.request("GET", "/api/v1/namespaces/doomed/configmaps/c")
    assert code == 404, body


@test("label and field selectors; unsupported field 400")
def _(sim):
    code, body, _ = sim.request("GET", "/api/v1/pods?labelSelector=app%3Dweb,tier+in+(back)")
    assert [i["metadata"]["name"] for i in body["items"]] == ["web-2"], body
    code, body, _ = sim.request("GET", "/api/v1/pods?fieldSelector=metadata.name%3Dweb-2")
    assert [i["metadata"]["name"] for i in body["items"]] == ["web-2"], body
    phase = body["items"][0]["status"]["phase"]
    code, body, _ = sim.request("GET", "/api/v1/pods?fieldSelector=status.phase!%3D" + phase)
    assert "web-2" not in [i["metadata"]["name"] for i in body["items"]], body
    code, body, _ = sim.request("GET", "/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue")
    assert [i["metadata"]["name"] for i in body["items"]] == ["east-w2"], body
    code, body, _ = sim.request("GET", "/api/v1/nodes?fieldSelector=metadata.namespace%3Dx")
    assert status_of(body) == (400, "BadRequest", "field label not supported: metadata.namespace")


@test("422 for invalid list options")
def _(sim):
    code, body, _ = sim.request("GET", "/api/v1/pods?resourceVersionMatch=Exact")
    assert code == 422 and "unless resourceVersion is provided" in body["message"], body
    code, body, _ = sim.request("GET", "/api/v1/pods?watch=1&sendInitialEvents=true")
    assert code == 422 and "sendInitialEvents requires" in body["message"], body


@test("discovery: legacy and aggregated v2 by content negotiation")
def _(sim):
    code, body, resp = sim.request("GET", "/apis")
    assert body["kind"] == "APIGroupList" and resp.getheader("Content-Type") == "application/json"
    accept = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
              "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
              "application/json")
    code, body, resp = sim.request("GET", "/apis", headers={"Accept": accept})
    assert resp.getheader("Content-Type") == ("application/json;g=apidiscovery.k8s.io;v=v2;"
                                              "as=APIGroupDiscoveryList"), resp.getheaders()
    kv = [g for g in body["items"] if g["metadata"]["name"] == "kubevirt.io"][0]
    vm = [r for r in kv["versions"][0]["resources"] if r["resource"] == "virtualmachines"][0]
    assert vm["responseKind"] == {"group": "kubevirt.io", "version": "v1",
                                  "kind": "VirtualMachine"}, vm
    assert vm["shortNames"] == ["vm", "vms"] and vm["subresources"][0]["subresource"] == "status"
    code, body, _ = sim.request("GET", "/api", headers={"Accept": accept})
    assert body["items"][0]["metadata"]["name"] == "", body


@test("continue tokens expire: 410 Expired after compaction")
def _(sim):
    code, body, _ = sim.request("GET", "/api/v1/namespaces?limit=1")
    token = body["metadata"]["continue"]
    code, state, _ = sim.request("POST", "/_sim/faults", "compact", content_type="text/plain")
    assert code == 200, state
    code, body, _ = sim.request("GET", "/api/v1/namespaces?limit=1&continue=" + token)
    assert code == 410 and body["reason"] == "Expired", body
    assert body["message"].startswith("The provided continue parameter is too old"), body
    assert body["metadata"]["continue"], body


def read_events(resp, count):
    events = []
    while len(events) < count:
        line = resp.readline()
        if not line:
            break
        events.append(json.loads(line))
    return events


def watch(sim, path, token=ADMIN):
    conn = sim.conn("east")
    conn.request("GET", path, headers={"Authorization": "Bearer " + token})
    return conn, conn.getresponse()


@test("watch: ERROR 410 inside a 200 stream for a too old resourceVersion")
def _(sim):
    conn, resp = watch(sim, "/api/v1/pods?watch=true&resourceVersion=1")
    assert resp.status == 200
    events = read_events(resp, 2)
    conn.close()
    assert len(events) == 1 and events[0]["type"] == "ERROR", events
    assert events[0]["object"]["code"] == 410 and events[0]["object"]["reason"] == "Expired"
    assert events[0]["object"]["message"].startswith("too old resource version: 1 ("), events


@test("watch: initial events, bookmark, changes from a resourceVersion, timeoutSeconds")
def _(sim):
    conn, resp = watch(sim, "/api/v1/namespaces/vms/pods?watch=1&sendInitialEvents=true"
                            "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
    events = []
    while not events or events[-1]["type"] != "BOOKMARK":
        more = read_events(resp, 1)
        assert more, "stream ended before the bookmark: %r" % events
        events += more
    conn.close()
    assert len(events) >= 2 and all(e["type"] == "ADDED" for e in events[:-1]), events
    assert events[-1]["object"]["metadata"]["annotations"] == {
        "k8s.io/initial-events-end": "true"}, events
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms/pods")
    rv = body["metadata"]["resourceVersion"]
    conn, resp = watch(sim, "/api/v1/namespaces/vms/pods?watch=1&timeoutSeconds=5"
                            "&resourceVersion=" + rv)
    code, body, _ = sim.request("PATCH", "/api/v1/namespaces/vms/pods/web-2",
                                {"metadata": {"labels": {"w": "1"}}},
                                content_type="application/merge-patch+json")
    ev = read_events(resp, 1)[0]
    assert ev["type"] == "MODIFIED" and ev["object"]["metadata"]["labels"]["w"] == "1", ev
    assert ev["object"]["metadata"]["resourceVersion"] == body["metadata"]["resourceVersion"]
    start = time.monotonic()
    assert resp.read() == b""  # ends at timeoutSeconds
    assert time.monotonic() - start < 10
    conn.close()


@test("Table for kubectl's Accept header")
def _(sim):
    accept = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
              "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms/pods", headers={"Accept": accept})
    assert body["kind"] == "Table" and body["apiVersion"] == "meta.k8s.io/v1", body
    assert [c["name"] for c in body["columnDefinitions"]][:5] == ["Name", "Ready", "Status",
                                                                  "Restarts", "Age"]
    row = body["rows"][0]
    assert row["object"]["kind"] == "PartialObjectMetadata", row


@test("faults: 429 with Retry-After, 5xx, then normal service")
def _(sim):
    code, state, _ = sim.request("POST", "/_sim/faults", "429=1/3,5xx=1/503",
                                 content_type="text/plain")
    assert code == 200, state
    code, body, resp = sim.request("GET", "/api/v1/pods")
    assert code == 429 and resp.getheader("Retry-After") == "3", (code, body)
    code, body, _ = sim.request("GET", "/api/v1/pods")
    assert code == 503 and body["reason"] == "ServiceUnavailable", body
    code, body, _ = sim.request("GET", "/version")
    assert code == 200 and body["gitVersion"].startswith("v1.32"), body
    code, body, _ = sim.request("GET", "/api/v1/pods")
    assert code == 200, body
    code, body, _ = sim.request("POST", "/_sim/faults", "compact", token="reader-token",
                                content_type="text/plain")
    assert code == 403, body
    code, body, _ = sim.request("POST", "/_sim/faults", "bogus", content_type="text/plain")
    assert code == 400 and "unknown fault" in body["message"], body


@test("faults: latency delays every request, then clears")
def _(sim):
    code, body, _ = sim.request("POST", "/_sim/faults", "latency=300", content_type="text/plain")
    assert code == 200 and body["latencyMs"] == 300, body
    start = time.monotonic()
    code, body, _ = sim.request("GET", "/api/v1/namespaces/vms")
    assert code == 200 and time.monotonic() - start >= 0.3, body  # a lower bound only
    code, body, _ = sim.request("DELETE", "/_sim/faults")
    assert code == 200 and body["latencyMs"] == 0, body


@test("LimitRange defaults, then a request above its limit makes the pod invalid (422)")
def _(sim):
    def pod(name, requests):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"containers": [{"name": "c", "image": "registry.example/c:1",
                                         "resources": {"requests": requests}}]}}
    code, body, _ = sim.request("POST", "/api/v1/namespaces/limited/pods",
                                pod("small", {"cpu": "200m"}))
    assert code == 201, (code, body)
    limits = body["spec"]["containers"][0]["resources"]["limits"]
    assert limits == {"cpu": "500m", "memory": "512Mi"}, limits
    code, body, _ = sim.request("POST", "/api/v1/namespaces/limited/pods",
                                pod("big", {"cpu": "2"}))
    assert code == 422 and body["reason"] == "Invalid", (code, body)
    assert body["message"] == ('Pod "big" is invalid: spec.containers[0].resources.requests: '
                               'Invalid value: "2": must be less than or equal to cpu limit '
                               'of 500m'), body["message"]


@test("LimitRange min, max and maxLimitRequestRatio refuse a pod with kube-apiserver's 403")
def _(sim):
    code, body, _ = sim.request("POST", "/api/v1/namespaces",
                                {"apiVersion": "v1", "kind": "Namespace",
                                 "metadata": {"name": "lr-enforce"}})
    assert code == 201, (code, body)
    code, body, _ = sim.request("POST", "/api/v1/namespaces/lr-enforce/limitranges", {
        "apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "caps"},
        "spec": {"limits": [
            {"type": "Container", "max": {"memory": "1Gi"}, "maxLimitRequestRatio": {"cpu": "2"}},
            {"type": "Pod", "min": {"cpu": "100m"}}]}})
    assert code == 201, (code, body)

    def pod(name, requests, limits):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"containers": [{"name": "c", "image": "registry.example/c:1",
                                         "resources": {"requests": requests,
                                                       "limits": limits}}]}}
    refused = [
        ("over", {"cpu": "100m", "memory": "512Mi"}, {"cpu": "100m", "memory": "2Gi"},
         "maximum memory usage per Container is 1Gi, but limit is 2Gi"),
        ("ratio", {"cpu": "100m", "memory": "512Mi"}, {"cpu": "400m"},
         "cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000"),
        ("both", {"cpu": "100m"}, {"cpu": "400m", "memory": "1536Mi"},
         "[maximum memory usage per Container is 1Gi, but limit is 1536Mi, cpu max limit to "
         "request ratio per Container is 2, but provided ratio is 4.000000]"),
        ("tiny", {"cpu": "50m"}, {"cpu": "50m"},
         "minimum cpu usage per Pod is 100m, but request is 50m"),
    ]
    for name, requests, limits, message in refused:
        code, body, _ = sim.request("POST", "/api/v1/namespaces/lr-enforce/pods",
                                    pod(name, requests, limits))
        assert code == 403 and body["reason"] == "Forbidden", (name, code, body)
        assert body["message"] == 'pods "%s" is forbidden: %s' % (name, message), body["message"]
    # max without default: the API server's defaulting makes it the default limit (and
    # request), so a container without memory gets 1Gi of both
    code, body, _ = sim.request("POST", "/api/v1/namespaces/lr-enforce/pods",
                                pod("fine", {"cpu": "100m"}, {"cpu": "200m"}))
    assert code == 201, (code, body)
    res = body["spec"]["containers"][0]["resources"]
    assert res["limits"] == {"cpu": "200m", "memory": "1Gi"}, res
    assert res["requests"] == {"cpu": "100m", "memory": "1Gi"}, res


@test("faults: connection dropped mid-list and mid-watch; watch expiry")
def _(sim):
    sim.request("POST", "/_sim/faults", "drop-list=1/1", content_type="text/plain")
    conn = sim.conn("east")
    conn.request("GET", "/api/v1/namespaces", headers={"Authorization": "Bearer " + ADMIN})
    resp = conn.getresponse()
    assert resp.status == 200
    try:
        data = resp.read()
        raise AssertionError("list completed: %r" % data[:200])
    except http.client.IncompleteRead as e:
        assert b'"items":[{' in e.partial, e.partial[:200]
    conn.close()
    sim.request("POST", "/_sim/faults", "drop-watch=1/1", content_type="text/plain")
    conn, resp = watch(sim, "/api/v1/namespaces?watch=1")
    first = resp.readline()
    assert json.loads(first)["type"] == "ADDED"
    try:
        rest = resp.read()
        raise AssertionError("watch not dropped: %r" % rest[:200])
    except http.client.IncompleteRead:
        pass
    conn.close()
    conn, resp = watch(sim, "/api/v1/namespaces?watch=1&resourceVersion=" + str(
        sim.request("GET", "/api/v1/namespaces")[1]["metadata"]["resourceVersion"]))
    sim.request("POST", "/_sim/faults", "expire-watch=1", content_type="text/plain")
    ev = read_events(resp, 1)[0]
    assert ev["type"] == "ERROR" and ev["object"]["code"] == 410, ev
    assert resp.read() == b""
    conn.close()


@test("faults: restart closes the listener and reopens the same port")
def _(sim):
    port = sim.port("east")
    code, body, _ = sim.request("POST", "/_sim/faults", "restart=400", content_type="text/plain")
    assert code == 200, body

    def refused():
        try:
            sim.request("GET", "/version")
            return False
        except (ConnectionError, OSError):
            return True
    poll("the listener to close", refused, 5)
    poll("the listener to reopen", lambda: not refused(), 10)
    assert sim.port("east") == port
    code, body, _ = sim.request("GET", "/api/v1/nodes")
    assert code == 200 and len(body["items"]) == 2, body


def bad_fleet(text):
    fleet = tempfile.mkdtemp(dir=TMP)
    os.mkdir(os.path.join(fleet, "c1"))
    with open(os.path.join(fleet, "c1", "objs.yaml"), "w") as f:
        f.write(text)
    proc = subprocess.run([SIM, "--fleet", fleet, "--kubeconfig", os.path.join(fleet, "kc")],
                          capture_output=True, text=True, timeout=30)
    assert not os.path.exists(os.path.join(fleet, "kc"))
    return proc


@test("a bad fleet file is refused with file, document and field")
def _(sim):
    proc = bad_fleet("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n"
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n")
    assert proc.returncode == 1, proc.stderr
    assert 'c1/objs.yaml: document 2: metadata.name: required field missing' in proc.stderr
    proc = bad_fleet("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                     "  metadata: {name: x, labels: {n: 1}}\n")
    assert "document 1: items[0].metadata.labels.n: not a string" in proc.stderr, proc.stderr
    proc = bad_fleet("a: [\n")
    assert "c1/objs.yaml: document 1: line" in proc.stderr, proc.stderr


def main():
    have_kubectl = os.access(KUBECTL, os.X_OK)
    print("1..%d" % (len(results) + 1))
    sim = Sim(FLEET)
    n = 0
    failed = 0
    for name, fn, needs_kubectl in results:
        n += 1
        if needs_kubectl and not have_kubectl:
            print("ok %d - %s # SKIP %s not found" % (n, name, KUBECTL))
            continue
        try:
            fn(sim)
            print("ok %d - %s" % (n, name))
        except Exception as e:  # report and go on: one TAP line per test
            failed += 1
            print("not ok %d - %s" % (n, name))
            for line in ("%s: %s" % (type(e).__name__, e)).splitlines():
                print("# " + line)
        sys.stdout.flush()
    rc = sim.stop()
    n += 1
    if rc == 0:
        print("ok %d - SIGTERM: clean exit" % n)
    else:
        failed += 1
        print("not ok %d - SIGTERM: exit status %d" % (n, rc))
        for line in sim.output().splitlines()[-300:]:
            print("# " + line)
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
