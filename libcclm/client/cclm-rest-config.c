/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-rest-config-private.h"

void
cclm_credential_free(CclmCredential *credential)
{
	if (credential == NULL)
		return;
	/* the token is a secret: do not leave it in freed memory */
	if (credential->token != NULL)
		memset(credential->token, 0, strlen(credential->token));
	g_free(credential->token);
	g_clear_object(&credential->client_certificate);
	g_clear_pointer(&credential->expiry, g_date_time_unref);
	g_free(credential);
}

CclmRestConfig *
cclm_rest_config_new(void)
{
	return g_new0(CclmRestConfig, 1);
}

CclmRestConfig *
cclm_rest_config_copy(const CclmRestConfig *config)
{
	CclmRestConfig *copy = g_new0(CclmRestConfig, 1);

	copy->server = g_strdup(config->server);
	copy->ca_pem = config->ca_pem != NULL ? g_bytes_ref(config->ca_pem) : NULL;
	copy->tls_server_name = g_strdup(config->tls_server_name);
	copy->insecure_skip_verify = config->insecure_skip_verify;
	copy->token = g_strdup(config->token);
	copy->token_file = g_strdup(config->token_file);
	copy->client_certificate =
	    config->client_certificate != NULL ? g_object_ref(config->client_certificate) : NULL;
	copy->exec = config->exec != NULL ? g_object_ref(config->exec) : NULL;
	copy->namespace = g_strdup(config->namespace);
	return copy;
}

void
cclm_rest_config_free(CclmRestConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->server);
	g_clear_pointer(&config->ca_pem, g_bytes_unref);
	g_free(config->tls_server_name);
	/* the token is a secret: do not leave it in freed memory */
	if (config->token != NULL)
		memset(config->token, 0, strlen(config->token));
	g_free(config->token);
	g_free(config->token_file);
	g_clear_object(&config->client_certificate);
	g_clear_object(&config->exec);
	g_free(config->namespace);
	g_free(config);
}
