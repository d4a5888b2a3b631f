// SPDX-License-Identifier: LGPL-2.1-or-later
// TAP output and a cclm-sim for the GJS tests, as tap.py and simfleet.py are for Python ones.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

let count = 0;
let failed = 0;

export function check(ok, name) {
    count++;
    if (!ok)
        failed++;
    print(`${ok ? 'ok' : 'not ok'} ${count} - ${name}`);
}

Gio._promisify(Gio.Subprocess.prototype, 'wait_async', 'wait_finish');

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

// Starts cclm-sim on fleetDir, awaits test({dir, kubeconfigPath}) in a GLib main loop once the
// kubeconfig is written, stops the simulator, removes the temporary directory (test may write
// files there) and exits: 1 if a check failed or test threw.
export function runWithSim(sim, fleetDir, test) {
    const dir = GLib.dir_make_tmp('cclm-gjs-XXXXXX');
    const kubeconfigPath = GLib.build_filenamev([dir, 'kubeconfig']);
    const proc = Gio.Subprocess.new([sim, '--fleet', fleetDir, '--kubeconfig', kubeconfigPath],
        Gio.SubprocessFlags.STDERR_SILENCE);
    const loop = new GLib.MainLoop(null, false);
    let exitCode = 0;

    waitForFile(kubeconfigPath, 30000).then(() => test({dir, kubeconfigPath})).catch(e => {
        print(`not ok ${count + 1} - ${e.message}`);
        exitCode = 1;
    }).finally(async () => {
        proc.send_signal(15);
        await proc.wait_async(null);
        loop.quit();
    });
    loop.run();
    const children = Gio.File.new_for_path(dir).enumerate_children('standard::name',
        Gio.FileQueryInfoFlags.NONE, null);
    for (let info; (info = children.next_file(null)) !== null;)
        children.get_child(info).delete(null);
    GLib.rmdir(dir);
    System.exit(exitCode || (failed > 0 ? 1 : 0));
}
