# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the Python tests share: TAP lines as checks run, and waiting for an async call."""

results = []


def check(ok, name):
    """Records one TAP test point and prints it at once."""
    results.append(bool(ok))
    print(f'{"ok" if ok else "not ok"} {len(results)} - {name}', flush=True)


def exit_status():
    return 0 if all(results) else 1


def run_async(start):
    """Calls start(callback) and iterates a GLib main loop until the callback ran; returns the
    GAsyncResult for the matching _finish()."""
    from gi.repository import GLib

    loop = GLib.MainLoop()
    box = {}

    def done(source, res):
        box['res'] = res
        loop.quit()
    start(done)
    loop.run()
    return box['res']
