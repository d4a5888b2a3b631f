// SPDX-License-Identifier: LGPL-2.1-or-later
// libcclm through GObject-Introspection from GJS: a real async connect and paged list against
// cclm-sim in a GLib main loop. Usage: gjs -m test-gi.js CCLM_SIM FLEET_DIR
import Cclm from 'gi://Cclm?version=1.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

const [sim, fleetDir] = ARGV;
let count = 0;
let failed = 0;
function check(ok, name) {
    count++;
    if (!ok)
        failed++;
    print(`${ok ? 'ok' : 'not ok'} ${count} - ${name}`);
}

// GI 1.74 writes no async annotations, so promisify by hand
Gio._promisify(Cclm.Cluster.prototype, 'connect_async', 'connect_finish');
Gio._promisify(Cclm.Cluster.prototype, 'list_async', 'list_finish');
Gio._promisify(Cclm.Cluster.prototype, 'get_async', 'get_finish');
Gio._promisify(Gio.Subprocess.prototype, 'wait_async', 'wait_finish');

const dir = GLib.dir_make_tmp('cclm-gjs-XXXXXX');
const kubeconfigPath = GLib.build_filenamev([dir, 'kubeconfig']);
const proc = Gio.Subprocess.new([sim, '--fleet', fleetDir, '--kubeconfig', kubeconfigPath],
    Gio.SubprocessFlags.STDERR_SILENCE);

function waitForFile(path, timeoutMs) {
    return new Promise((resolve, reject) => {
        const start = GLib.get_monotonic_time();
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
            if (GLib.file_test(path, GLib.FileTest.EXISTS)) {
                resolve();
                return GLib.SOURCE_REMOVE;
            }
            if (GLib.get_monotonic_time() - start > timeoutMs * 1000) {
                reject(new Error(`cclm-sim did not write ${path}`));
                return GLib.SOURCE_REMOVE;
            }
            return GLib.SOURCE_CONTINUE;
        });
    });
}

async function main() {
    print('1..4');
    await waitForFile(kubeconfigPath, 30000);
    const kubeconfig = Cclm.Kubeconfig.load(kubeconfigPath);
    const cluster = Cclm.Cluster.new(kubeconfig, 'east');
    await cluster.connect_async(null);
    check(cluster.reachable && cluster.kubevirt_version === 'v1.6.0',
        `connect: reachable, KubeVirt ${cluster.kubevirt_version}`);

    const names = [];
    const path = Cclm.Cluster.build_path(null, 'v1', 'pods', 'apps', null);
    const rv = await cluster.list_async(path, 1, items => {
        for (let i = 0; i < items.get_length(); i++)
            names.push(items.get_object_element(i).get_object_member('metadata').get_string_member('name'));
        return true;
    }, null);
    names.sort();
    check(names.join(',') === 'web-1,web-3,web-5' && rv.length > 0,
        `paged list of the apps namespace: ${names.join(',')}`);

    try {
        await cluster.get_async(Cclm.Cluster.build_path(null, 'v1', 'nodes', null, 'absent'), null);
        check(false, 'a missing node is an error');
    } catch (e) {
        check(e.matches(Cclm.error_quark(), Cclm.Error.NOT_FOUND), `NotFound: ${e.message}`);
    }
    check(Cclm.Cluster.build_path('kubevirt.io', 'v1', 'virtualmachines', 'ns 1', 'vm') ===
        '/apis/kubevirt.io/v1/namespaces/ns%201/virtualmachines/vm', 'build_path escapes');
}

const loop = new GLib.MainLoop(null, false);
let exitCode = 0;
main().catch(e => {
    print(`not ok ${count + 1} - ${e.message}`);
    exitCode = 1;
}).finally(async () => {
    proc.send_signal(15);
    await proc.wait_async(null);
    loop.quit();
});
loop.run();
try {
    Gio.File.new_for_path(kubeconfigPath).delete(null);
} catch (e) {
    // cclm-sim may not have written it
}
GLib.rmdir(dir);
System.exit(exitCode || (failed > 0 ? 1 : 0));
