#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The shared library exports exactly the symbols its installed headers declare public.

Every dynamic symbol must start with cclm_, and must be declared after a CCLM_AVAILABLE_IN_*
macro (directly, or through G_DECLARE_*_TYPE for a type's get_type function) in a public
header; every such declaration must be exported. Usage: check-abi.py LIB HEADER...
"""
import pathlib
import re
import subprocess
import sys

lib, headers = sys.argv[1], [pathlib.Path(h) for h in sys.argv[2:]]

out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                     capture_output=True, text=True).stdout
exported = {line.split()[-1].split('@')[0] for line in out.splitlines()
            if line.split()[1] in ('T', 'D', 'B', 'R')}

declared = set()
# G_DECLARE_*_TYPE() takes no semicolon: match it alone, or it swallows the next declaration.
avail = re.compile(r'CCLM_AVAILABLE_IN_\w+\s+(?P<decl>G_DECLARE_\w+_TYPE\s*\([^)]*\)|[^;{]*?(?=;|\{))',
                   re.S)
for header in headers:
    text = header.read_text()
    for m in avail.finditer(text):
        decl = m.group('decl')
        t = re.match(r'\s*G_DECLARE_\w+_TYPE\s*\(\s*\w+\s*,\s*(\w+)', decl)
        if t:
            declared.add(t.group(1) + '_get_type')
            continue
        f = re.search(r'(\w+)\s*\([^()]*(\([^()]*\)[^()]*)*\)\s*(G_\w+(\([^)]*\))?\s*)*$', decl.strip())
        if f:
            declared.add(f.group(1))
            continue
        v = re.search(r'(\w+)\s*(\[\])?\s*$', decl.strip())
        if v:
            declared.add(v.group(1))

errors = []
for sym in sorted(exported):
    if not sym.startswith('cclm_'):
        errors.append(f'{lib}: exports {sym}, which is not a cclm_ symbol')
    elif sym not in declared:
        errors.append(f'{lib}: exports {sym}, which no public header declares with CCLM_AVAILABLE_IN_*')
for sym in sorted(declared - exported):
    errors.append(f'{sym} is declared public but {lib} does not export it')

print(f'1..1')
if errors:
    print('not ok 1 - exported symbols match the public headers')
    for e in errors:
        print(f'# {e}')
    sys.exit(1)
print(f'ok 1 - {len(exported)} exported symbols match the public headers')
