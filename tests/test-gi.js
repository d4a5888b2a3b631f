// SPDX-License-Identifier: LGPL-2.1-or-later
// libcclm through GObject-Introspection from GJS: a real async connect and paged list against
// cclm-sim in a GLib main loop. Usage: gjs -m test-gi.js CCLM_SIM FLEET_DIR
import Cclm from 'gi://Cclm?version=1.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Json from 'gi://Json?version=1.0';
import {check, runWithSim} from './tap.js';

const [sim, fleetDir] = ARGV;
// GI 1.74 writes no async annotations, so promisify by hand
Gio._promisify(Cclm.Cluster.prototype, 'connect_async', 'connect_finish');
Gio._promisify(Cclm.Cluster.prototype, 'list_async', 'list_finish');
Gio._promisify(Cclm.Cluster.prototype, 'get_async', 'get_finish');

async function main({kubeconfigPath}) {
    print('1..5');
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
    // a watch lists first (every object ADDED, then synced), then follows changes
    const watchPath = Cclm.Cluster.build_path(null, 'v1', 'configmaps', 'apps', null);
    const watch = cluster.watch(watchPath, null);
    const seen = [];
    const synced = new Promise(resolve => watch.connect('synced', () => resolve()));
    const added = new Promise(resolve => {
        watch.connect('event', (_w, type, object) => {
            const name = object.get_object_member('metadata').get_string_member('name');
            seen.push(name);
            if (type === Cclm.WatchEventType.ADDED && name === 'from-gjs')
                resolve();
        });
    });
    watch.start();
    await synced;
    const parser = new Json.Parser();
    parser.load_from_data('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"from-gjs"}}', -1);
    Gio._promisify(Cclm.Cluster.prototype, 'create_async', 'create_finish');
    await cluster.create_async(watchPath, parser.get_root(), null);
    await added;
    watch.stop();
    check(watch.synced && seen.includes('from-gjs'), `watch: synced, then ADDED from-gjs (${seen.join(',')})`);
    check(Cclm.Cluster.build_path('kubevirt.io', 'v1', 'virtualmachines', 'ns 1', 'vm') ===
        '/apis/kubevirt.io/v1/namespaces/ns%201/virtualmachines/vm', 'build_path escapes');
}

runWithSim(sim, fleetDir, main);
