// SPDX-License-Identifier: LGPL-2.1-or-later
// Follows the VirtualMachines of a cluster, as a GNOME admin app would:
//   gjs -m examples/watch-vms.js [CONTEXT]
// Set GI_TYPELIB_PATH and LD_LIBRARY_PATH to a build tree to run it uninstalled.
import Cclm from 'gi://Cclm?version=1.0';
import GLib from 'gi://GLib';

const kubeconfig = Cclm.Kubeconfig.load(null);
const cluster = Cclm.Cluster.new(kubeconfig, ARGV[0] ?? null);
const watch = cluster.watch(Cclm.Cluster.build_path('kubevirt.io', 'v1', 'virtualmachines', null, null), null);
const loop = new GLib.MainLoop(null, false);

watch.connect('event', (_watch, type, object) => {
    const meta = object.get_object_member('metadata');
    const status = object.get_object_member('status');
    const printable = status?.get_string_member_with_default('printableStatus', '') ?? '';
    print(`${Cclm.WatchEventType[type] ?? type} ${meta.get_string_member('namespace')}/${meta.get_string_member('name')} ${printable}`);
});
watch.connect('synced', () => print('-- in sync'));
watch.connect('failed', (_watch, error) => {
    printerr(`watch failed: ${error.message}`);
    loop.quit();
});
watch.start();
loop.run();
