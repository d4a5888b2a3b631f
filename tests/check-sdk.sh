#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `meson install` gives a usable SDK: headers, pkg-config file, shared library, GIR and typelib.
# Usage: check-sdk.sh BUILDDIR SRCDIR [CFLAGS...]
set -eu
# a failing consumer must fail the pipe into sed
set -o pipefail
build=$1 src=$2
shift 2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
echo 1..3
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
pc=$(dirname "$(find "$dest" -name cclm-1.pc)")
prefix=$(sed -n 's/^prefix=//p' "$pc/cclm-1.pc")
# the .pc file moved with DESTDIR; --define-variable would move glib's too
mkdir "$dest/pc"
sed "s|^prefix=.*|prefix=$dest$prefix|" "$pc/cclm-1.pc" >"$dest/pc/cclm-1.pc"
pkg() { PKG_CONFIG_PATH=$dest/pc pkg-config "$@" cclm-1; }
# shellcheck disable=SC2046
cc "$@" -o "$dest/consumer" "$src/tests/sdk-consumer.c" $(pkg --cflags) $(pkg --libs)
echo "ok 1 - an application builds with pkg-config cclm-1 and <cclm.h>"
libdir=$(dirname "$(find "$dest" -name 'libcclm-1.so.0' | head -n 1)")
LD_LIBRARY_PATH=$libdir "$dest/consumer" | sed "s/^/# /"
echo "ok 2 - it runs against the installed libcclm-1.so.0"
typelib=$(dirname "$(find "$dest" -name Cclm-1.0.typelib)")
test -n "$(find "$dest" -name Cclm-1.0.gir)"
GI_TYPELIB_PATH=$typelib LD_LIBRARY_PATH=$libdir /usr/bin/python3 -c "
import gi; gi.require_version('Cclm', '1.0'); from gi.repository import Cclm
assert Cclm.Cluster.build_path(None, 'v1', 'pods', 'a', None) == '/api/v1/namespaces/a/pods'"
echo "ok 3 - Python loads the installed typelib"
