#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# QEMU-style self-announcement for the localnet lab, run inside the target "guest" namespace:
#   announce.py IFACE OFFSET_MS[,OFFSET_MS...]
# Opens the packet socket first, then waits for one line on stdin ("go") so that the send times
# do not include the interpreter's start-up, and sends one RARP per offset (ms after "go").
# The frame is the one QEMU builds in announce_self_create() (net/announce.c): broadcast,
# ethertype 0x8035, opcode 3 (reverse request), sender and target hardware address = the NIC MAC,
# no protocol addresses, padded to 60 bytes. Exits after the last frame, or after 120 s without
# "go" so that a killed lab never leaves it behind.
import select
import socket
import sys
import time


def main():
	ifname, offsets = sys.argv[1], [int(x) / 1000 for x in sys.argv[2].split(',')]
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
	s.bind((ifname, 0))
	mac = s.getsockname()[4][:6]
	frame = (b'\xff' * 6 + mac + b'\x80\x35' + b'\x00\x01\x08\x00\x06\x04\x00\x03' +
		 mac + b'\x00' * 4 + mac + b'\x00' * 4).ljust(60, b'\x00')
	print('ready', flush=True)
	if not select.select([sys.stdin], [], [], 120)[0] or not sys.stdin.readline():
		return 1
	start = time.monotonic()
	for off in offsets:
		delay = start + off - time.monotonic()
		if delay > 0:
			time.sleep(delay)
		s.send(frame)
	return 0


if __name__ == '__main__':
	sys.exit(main())
