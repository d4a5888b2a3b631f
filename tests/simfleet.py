# SPDX-License-Identifier: LGPL-2.1-or-later
"""Starts cclm-sim on a fleet directory for a test and stops it afterwards."""
import os
import signal
import subprocess
import tempfile
import time


class SimFleet:
    def __init__(self, sim, fleet, timeout=30, args=()):
        self.dir = tempfile.TemporaryDirectory(prefix='cclm-test-')
        self.kubeconfig = os.path.join(self.dir.name, 'kubeconfig')
        self.log = open(os.path.join(self.dir.name, 'sim.log'), 'w+')
        self.proc = subprocess.Popen([sim, '--fleet', fleet, '--kubeconfig', self.kubeconfig,
                                      *args],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        # cclm-sim writes the kubeconfig atomically once every cluster listens: poll for it
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.kubeconfig):
            if self.proc.poll() is not None:
                raise RuntimeError(f'cclm-sim exited with {self.proc.returncode}: {self.output()}')
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'cclm-sim did not write {self.kubeconfig}: {self.output()}')
            time.sleep(0.02)

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()
        self.dir.cleanup()
