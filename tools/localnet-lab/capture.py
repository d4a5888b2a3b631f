#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Who teaches the physical switch where the VM's MAC is: run in the fabric namespace,
#   capture.py MAC DURATION_S
# records every ARP or RARP frame whose source is MAC as it enters the switch, with the switch
# port it came in on (the port is named after the node, "phys" for the host), and prints them as
# JSON [[unix_time, port, "garp"|"arp"|"rarp"], ...] after DURATION_S. A gratuitous ARP from the
# VM's MAC is ovn-controller's announcement (the lab's guests send none: static neighbours), "arp"
# is the guest answering a peer, "rarp" is QEMU's announce-self.
import json
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
	mac = bytes.fromhex(sys.argv[1].replace(':', ''))
	end = time.monotonic() + float(sys.argv[2])
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
	print('ready', flush=True)
	seen = []
	while True:
		left = end - time.monotonic()
		if left <= 0:
			break
		if not select.select([s], [], [], left)[0]:
			continue
		data, addr = s.recvfrom(128)
		ifname, pkttype = addr[0], addr[2]
		if ifname == 'br0' or pkttype == PACKET_OUTGOING or data[6:12] != mac:
			continue
		kind = {b'\x08\x06': 'arp', b'\x80\x35': 'rarp'}.get(data[12:14])
		# a gratuitous ARP (request, sender IP = target IP) is ovn-controller's announcement
		if kind == 'arp' and data[20:22] == b'\x00\x01' and data[28:32] == data[38:42]:
			kind = 'garp'
		if kind:
			seen.append([round(time.time(), 4), ifname, kind])
	print(json.dumps(seen), flush=True)


if __name__ == '__main__':
	main()
