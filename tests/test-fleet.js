// SPDX-License-Identifier: LGPL-2.1-or-later
// Cclm.Fleet from GJS in a GLib main loop, against cclm-sim on tests/data/cli-fleet plus a
// context "gone" whose server refuses connections: load, fit and suggest, asynchronously.
// Usage: gjs -m test-fleet.js CCLM_SIM FLEET_DIR
import Cclm from 'gi://Cclm?version=1.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import {check, runWithSim} from './tap.js';

const [sim, fleetDir] = ARGV;
// GI 1.74 writes no async annotations, so promisify by hand
Gio._promisify(Cclm.Fleet.prototype, 'load_async', 'load_finish');
Gio._promisify(Cclm.Fleet.prototype, 'fit_async', 'fit_finish');
Gio._promisify(Cclm.Fleet.prototype, 'suggest_async', 'suggest_finish');

// A port nothing listens on: bound on the loopback, then closed.
function closedPort() {
    const socket = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM,
        Gio.SocketProtocol.TCP);
    socket.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), false);
    const port = socket.get_local_address().get_port();
    socket.close();
    return port;
}

async function main({dir, kubeconfigPath}) {
    print('1..5');
    const gonePath = GLib.build_filenamev([dir, 'gone']);
    GLib.file_set_contents(gonePath, `apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster: {server: "https://127.0.0.1:${closedPort()}"}
users:
- name: nobody
  user: {token: not-a-secret}
contexts:
- name: gone
  context: {cluster: gone, user: nobody}
`);
    GLib.setenv('KUBECONFIG', `${kubeconfigPath}:${gonePath}`, true);
    const kubeconfig = Cclm.Kubeconfig.load(null);
    const contexts = kubeconfig.get_contexts();
    const fleet = Cclm.Fleet.new(kubeconfig);
    const loaded = [];
    fleet.connect('member-loaded', (_fleet, context) => loaded.push(context));

    await fleet.load_async(null, false, null);
    check(loaded.length === contexts.length &&
        fleet.get_contexts().join(',') === contexts.join(','),
    `load: every context, member-loaded once each (${loaded.join(',')})`);
    const goneError = fleet.get_error('gone');
    check(fleet.get_inventory('roomy') !== null && fleet.get_error('roomy') === null &&
        fleet.get_inventory('gone') === null && goneError !== null &&
        goneError.matches(Cclm.error_quark(), Cclm.Error.NETWORK),
    `the unreachable member carries its error: ${goneError}`);

    const verdicts = await fleet.fit_async('source', ['apps/demo', 'apps/small'], 'fragmented',
        null, null);
    check(verdicts.map(v => `${v.get_vm()}=${v.get_fits()}`).join(',') ===
        'apps/demo=false,apps/small=true', 'fit: a batch judged together');

    try {
        await fleet.fit_async('source', ['apps/demo'], 'gone', null, null);
        check(false, 'fit to an unreachable target is an error');
    } catch (e) {
        check(e.matches(Cclm.error_quark(), Cclm.Error.NETWORK) && e.message.includes('"gone"'),
            `fit to an unreachable target: ${e.message}`);
    }

    const candidates = await fleet.suggest_async('source', ['apps/demo'], null, null);
    const ranked = candidates.map(c =>
        `${c.get_cluster()}:${c.get_fits()}:${c.get_error() !== null}`);
    check(ranked[0] === 'roomy:true:false' && ranked[ranked.length - 1] === 'gone:false:true' &&
        !ranked.some(r => r.startsWith('source:')),
    `suggest: fitting first, the unreachable cluster last with its error (${ranked.join(', ')})`);
}

runWithSim(sim, fleetDir, main);
