#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Makes the test PKI once per build: a CA, a server certificate for 127.0.0.1 and kube.test,
# client certificates in the key formats kubeconfigs carry (RSA PKCS#1 as kubeadm writes,
# PKCS#8, EC SEC1 as k3s writes), and a CA plus client certificate nobody trusts.
# Usage: make-certs.sh OUTDIR
set -eu
out=$1
mkdir -p "$out"
cd "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
days=3650

ca() { # name subject
	openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.pem" \
		-days $days -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

sign() { # ca name csr extfile
	openssl x509 -req -in "$3" -CA "$1.pem" -CAkey "$1-key.pem" -CAcreateserial \
		-CAserial "$tmp/$1.srl" -out "$2.pem" -days $days -extfile "$4" 2>/dev/null
}

ca ca "cclm test CA"
ca foreign-ca "cclm foreign CA"

printf 'subjectAltName=IP:127.0.0.1,DNS:kube.test\nextendedKeyUsage=serverAuth\n' >"$tmp/server.ext"
printf 'extendedKeyUsage=clientAuth\n' >"$tmp/client.ext"

openssl req -new -newkey rsa:2048 -nodes -keyout server-key.pem -out "$tmp/server.csr" \
	-subj "/CN=kube-apiserver" 2>/dev/null
sign ca server "$tmp/server.csr" "$tmp/server.ext"

client() { # ca name keyfile-maker
	openssl req -new -key "$2-key.pem" -out "$tmp/$2.csr" -subj "/O=system:masters/CN=$2"
	sign "$1" "$2" "$tmp/$2.csr" "$tmp/client.ext"
}

openssl genrsa -traditional -out client-rsa-key.pem 2048 2>/dev/null
client ca client-rsa
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-pkcs8-key.pem 2>/dev/null
client ca client-pkcs8
openssl ecparam -name prime256v1 -genkey -noout -out client-ec-key.pem
client ca client-ec
openssl genrsa -traditional -out client-foreign-key.pem 2048 2>/dev/null
client foreign-ca client-foreign

grep -q 'BEGIN RSA PRIVATE KEY' client-rsa-key.pem
grep -q 'BEGIN PRIVATE KEY' client-pkcs8-key.pem
grep -q 'BEGIN EC PRIVATE KEY' client-ec-key.pem
