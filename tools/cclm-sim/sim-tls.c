/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

#include "sim-store.h"
#include "sim-tls.h"

#define SIM_CERT_LIFETIME_S (10 * 365 * 24 * 3600)

static gboolean
sim_tls_check(int ret, const char *what, GError **error)
{
	if (ret >= 0)
		return TRUE;
	g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "TLS: %s: %s", what, gnutls_strerror(ret));
	return FALSE;
}

static char *
sim_tls_export_cert(gnutls_x509_crt_t crt)
{
	gnutls_datum_t out = {NULL, 0};
	char *pem;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out) < 0)
		return NULL;
	pem = g_strndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return pem;
}

static char *
sim_tls_export_key(gnutls_x509_privkey_t key)
{
	gnutls_datum_t out = {NULL, 0};
	char *pem;

	if (gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &out) < 0)
		return NULL;
	pem = g_strndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return pem;
}

static gboolean
sim_tls_fill(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, const char *cn, guint serial,
	     GError **error)
{
	time_t now = time(NULL);
	unsigned char serial_bytes[4] = {0x10, 0, (serial >> 8) & 0xff, serial & 0xff};

	return sim_tls_check(gnutls_x509_crt_set_key(crt, key), "set key", error) &&
	       sim_tls_check(gnutls_x509_crt_set_version(crt, 3), "set version", error) &&
	       sim_tls_check(gnutls_x509_crt_set_serial(crt, serial_bytes, sizeof(serial_bytes)),
			     "set serial", error) &&
	       sim_tls_check(gnutls_x509_crt_set_activation_time(crt, now - 3600), "set start",
			     error) &&
	       sim_tls_check(gnutls_x509_crt_set_expiration_time(crt, now + SIM_CERT_LIFETIME_S),
			     "set end", error) &&
	       sim_tls_check(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
							   strlen(cn)),
			     "set CN", error);
}

gboolean
sim_tls_make(char **ca_pem, GTlsCertificate **server, GError **error)
{
	gnutls_x509_privkey_t ca_key = NULL, srv_key = NULL;
	gnutls_x509_crt_t ca = NULL, srv = NULL;
	const unsigned char loopback[4] = {127, 0, 0, 1};
	g_autofree char *srv_pem = NULL, *key_pem = NULL, *chain = NULL;
	gboolean ok;

	*ca_pem = NULL;
	*server = NULL;
	ok = sim_tls_check(gnutls_x509_privkey_init(&ca_key), "key", error) &&
	     sim_tls_check(gnutls_x509_privkey_init(&srv_key), "key", error) &&
	     sim_tls_check(gnutls_x509_crt_init(&ca), "cert", error) &&
	     sim_tls_check(gnutls_x509_crt_init(&srv), "cert", error) &&
	     /* ECDSA P-256: fast to make at every start, and Go accepts it */
	     sim_tls_check(gnutls_x509_privkey_generate(ca_key, GNUTLS_PK_ECDSA,
							GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
							0),
			   "generate CA key", error) &&
	     sim_tls_check(gnutls_x509_privkey_generate(srv_key, GNUTLS_PK_ECDSA,
							GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
							0),
			   "generate server key", error) &&
	     sim_tls_fill(ca, ca_key, "cclm-sim CA", 1, error) &&
	     sim_tls_check(gnutls_x509_crt_set_basic_constraints(ca, 1, -1), "CA constraints",
			   error) &&
	     sim_tls_check(gnutls_x509_crt_set_key_usage(ca, GNUTLS_KEY_KEY_CERT_SIGN |
								 GNUTLS_KEY_CRL_SIGN |
								 GNUTLS_KEY_DIGITAL_SIGNATURE),
			   "CA usage", error) &&
	     sim_tls_check(gnutls_x509_crt_set_subject_key_id(ca, (const unsigned char *)"cclmsimca", 9),
			   "CA key id", error) &&
	     sim_tls_check(gnutls_x509_crt_sign2(ca, ca, ca_key, GNUTLS_DIG_SHA256, 0), "sign CA",
			   error) &&
	     sim_tls_fill(srv, srv_key, "cclm-sim", 2, error) &&
	     sim_tls_check(gnutls_x509_crt_set_basic_constraints(srv, 0, -1), "constraints", error) &&
	     sim_tls_check(gnutls_x509_crt_set_key_usage(srv, GNUTLS_KEY_DIGITAL_SIGNATURE |
								  GNUTLS_KEY_KEY_ENCIPHERMENT),
			   "usage", error) &&
	     sim_tls_check(gnutls_x509_crt_set_key_purpose_oid(srv, GNUTLS_KP_TLS_WWW_SERVER, 0),
			   "purpose", error) &&
	     sim_tls_check(gnutls_x509_crt_set_subject_alt_name(srv, GNUTLS_SAN_IPADDRESS, loopback,
								sizeof(loopback), GNUTLS_FSAN_SET),
			   "IP SAN", error) &&
	     sim_tls_check(gnutls_x509_crt_set_subject_alt_name(srv, GNUTLS_SAN_DNSNAME, "localhost",
								strlen("localhost"),
								GNUTLS_FSAN_APPEND),
			   "DNS SAN", error) &&
	     sim_tls_check(gnutls_x509_crt_set_authority_key_id(srv, (const unsigned char *)"cclmsimca",
								9),
			   "authority key id", error) &&
	     sim_tls_check(gnutls_x509_crt_sign2(srv, ca, ca_key, GNUTLS_DIG_SHA256, 0), "sign",
			   error);
	if (ok) {
		*ca_pem = sim_tls_export_cert(ca);
		srv_pem = sim_tls_export_cert(srv);
		key_pem = sim_tls_export_key(srv_key);
		chain = g_strconcat(srv_pem, key_pem, NULL);
		*server = g_tls_certificate_new_from_pem(chain, -1, error);
		ok = *ca_pem != NULL && *server != NULL;
		if (!ok)
			g_clear_pointer(ca_pem, g_free);
	}
	if (srv != NULL)
		gnutls_x509_crt_deinit(srv);
	if (ca != NULL)
		gnutls_x509_crt_deinit(ca);
	if (srv_key != NULL)
		gnutls_x509_privkey_deinit(srv_key);
	if (ca_key != NULL)
		gnutls_x509_privkey_deinit(ca_key);
	return ok;
}
