/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-error.h"
#include "cclm-stuntime-responder.h"
#include "cclm-stuntime-wire-private.h"

/**
 * CclmStuntimeResponder:
 *
 * The UDP echo service that %CCLM_STUNTIME_MODE_UDP probes need on their target, as
 * `cclm stuntime --listen PORT` runs it.
 *
 * Since: 0.1
 */
struct _CclmStuntimeResponder {
	GObject parent_instance;
	GSocket *socket;
	GSource *source;
	gboolean active;
	guint64 received;
	guint64 echoed;
};

G_DEFINE_FINAL_TYPE(CclmStuntimeResponder, cclm_stuntime_responder, G_TYPE_OBJECT)

enum { PROP_0, PROP_ACTIVE, N_PROPS };
static GParamSpec *props[N_PROPS];

/* Echoes every probe waiting on the socket; anything else is dropped, so the responder reflects
 * nothing but the probes' own 24 bytes back to their sender. */
static gboolean
cclm_stuntime_responder_ready_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	CclmStuntimeResponder *self = user_data;
	guint8 buf[512];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		gssize len = g_socket_receive_from(socket, &from, (gchar *)buf, sizeof(buf), NULL,
						   NULL);

		if (len < 0)
			break;
		self->received++;
		if (!self->active || !cclm_stuntime_payload_is_probe(buf, (gsize)len))
			continue;
		if (g_socket_send_to(socket, from, (const gchar *)buf, CCLM_STUNTIME_PAYLOAD_SIZE,
				     NULL, NULL) == CCLM_STUNTIME_PAYLOAD_SIZE)
			self->echoed++;
	}
	return G_SOURCE_CONTINUE;
}

/**
 * cclm_stuntime_responder_new:
 * @address: (nullable): the local address to listen on, IPv4 or IPv6; %NULL for every address
 *   (IPv4 and IPv6)
 * @port: the UDP port, or 0 for one the system picks (see
 *   [method@StuntimeResponder.get_port])
 * @error: return location for a #GError
 *
 * Creates the UDP echo responder that %CCLM_STUNTIME_MODE_UDP probes need on their target,
 * listening at once and echoing in the thread-default main context of the caller until it is
 * finalized. It needs no privilege for a port above 1023. It echoes only the probes' own
 * payload, to their sender.
 *
 * Returns: (transfer full): a new #CclmStuntimeResponder, or %NULL with @error set
 *   (%CCLM_ERROR_INVALID_ARGUMENT for a bad address or port, %CCLM_ERROR_NETWORK when it cannot
 *   listen)
 *
 * Since: 0.1
 */
CclmStuntimeResponder *
cclm_stuntime_responder_new(const gchar *address, guint port, GError **error)
{
	g_autoptr(CclmStuntimeResponder) self = NULL;
	g_autoptr(GError) local_error = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (port > 65535) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime responder: port %u is not from 0 to 65535", port);
		return NULL;
	}
	self = g_object_new(CCLM_TYPE_STUNTIME_RESPONDER, NULL);
	/* every address: IPv6 and IPv4 on one dual-stack socket, IPv4 alone where IPv6 is off */
	for (guint i = 0; i < (address != NULL ? 1 : 2) && self->socket == NULL; i++) {
		g_autoptr(GInetAddress) inet = NULL;
		g_autoptr(GSocketAddress) bind_address = NULL;

		inet = address != NULL ? g_inet_address_new_from_string(address)
				       : g_inet_address_new_any(i == 0 ? G_SOCKET_FAMILY_IPV6
									 : G_SOCKET_FAMILY_IPV4);
		if (inet == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "stuntime responder: \"%s\" is not an IP address", address);
			return NULL;
		}
		g_clear_error(&local_error);
		self->socket = g_socket_new(g_inet_address_get_family(inet), G_SOCKET_TYPE_DATAGRAM,
					    G_SOCKET_PROTOCOL_UDP, &local_error);
		bind_address = g_inet_socket_address_new(inet, (guint16)port);
		/* no reuse: a second responder on the port would take half of the probes */
		if (self->socket != NULL &&
		    !g_socket_bind(self->socket, bind_address, FALSE, &local_error))
			g_clear_object(&self->socket);
	}
	if (self->socket == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK,
			    "stuntime responder: cannot listen on UDP %s port %u: %s",
			    address != NULL ? address : "*", port, local_error->message);
		return NULL;
	}
	g_socket_set_blocking(self->socket, FALSE);
	self->source = g_socket_create_source(self->socket, G_IO_IN, NULL);
	g_source_set_callback(self->source, G_SOURCE_FUNC(cclm_stuntime_responder_ready_cb), self,
			      NULL);
	g_source_attach(self->source, g_main_context_get_thread_default());
	return g_steal_pointer(&self);
}

/**
 * cclm_stuntime_responder_get_port:
 * @self: a #CclmStuntimeResponder
 *
 * Gets the UDP port the responder listens on.
 *
 * Returns: the port
 *
 * Since: 0.1
 */
guint
cclm_stuntime_responder_get_port(CclmStuntimeResponder *self)
{
	g_autoptr(GSocketAddress) address = NULL;

	g_return_val_if_fail(CCLM_IS_STUNTIME_RESPONDER(self), 0);

	address = g_socket_get_local_address(self->socket, NULL);
	return address != NULL ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address)) : 0;
}

/**
 * cclm_stuntime_responder_get_active:
 * @self: a #CclmStuntimeResponder
 *
 * Gets [property@StuntimeResponder:active].
 *
 * Returns: whether probes are answered
 *
 * Since: 0.1
 */
gboolean
cclm_stuntime_responder_get_active(CclmStuntimeResponder *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_RESPONDER(self), FALSE);
	return self->active;
}

/**
 * cclm_stuntime_responder_set_active:
 * @self: a #CclmStuntimeResponder
 * @active: whether to answer probes
 *
 * Sets [property@StuntimeResponder:active].
 *
 * Since: 0.1
 */
void
cclm_stuntime_responder_set_active(CclmStuntimeResponder *self, gboolean active)
{
	g_return_if_fail(CCLM_IS_STUNTIME_RESPONDER(self));

	active = !!active;
	if (self->active == active)
		return;
	self->active = active;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_ACTIVE]);
}

/**
 * cclm_stuntime_responder_get_received:
 * @self: a #CclmStuntimeResponder
 *
 * Gets how many datagrams the responder received, probes or not, answered or not.
 *
 * Returns: the number of datagrams received
 *
 * Since: 0.1
 */
guint64
cclm_stuntime_responder_get_received(CclmStuntimeResponder *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_RESPONDER(self), 0);
	return self->received;
}

/**
 * cclm_stuntime_responder_get_echoed:
 * @self: a #CclmStuntimeResponder
 *
 * Gets how many probes the responder answered.
 *
 * Returns: the number of probes echoed
 *
 * Since: 0.1
 */
guint64
cclm_stuntime_responder_get_echoed(CclmStuntimeResponder *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_RESPONDER(self), 0);
	return self->echoed;
}

static void
cclm_stuntime_responder_get_property(GObject *object,
				     guint prop_id,
				     GValue *value,
				     GParamSpec *pspec)
{
	CclmStuntimeResponder *self = CCLM_STUNTIME_RESPONDER(object);

	switch (prop_id) {
	case PROP_ACTIVE:
		g_value_set_boolean(value, self->active);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_stuntime_responder_set_property(GObject *object,
				     guint prop_id,
				     const GValue *value,
				     GParamSpec *pspec)
{
	CclmStuntimeResponder *self = CCLM_STUNTIME_RESPONDER(object);

	switch (prop_id) {
	case PROP_ACTIVE:
		cclm_stuntime_responder_set_active(self, g_value_get_boolean(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_stuntime_responder_finalize(GObject *object)
{
	CclmStuntimeResponder *self = CCLM_STUNTIME_RESPONDER(object);

	if (self->source != NULL) {
		g_source_destroy(self->source);
		g_source_unref(self->source);
	}
	g_clear_object(&self->socket);
	G_OBJECT_CLASS(cclm_stuntime_responder_parent_class)->finalize(object);
}

static void
cclm_stuntime_responder_class_init(CclmStuntimeResponderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_stuntime_responder_finalize;
	object_class->get_property = cclm_stuntime_responder_get_property;
	object_class->set_property = cclm_stuntime_responder_set_property;

	/**
	 * CclmStuntimeResponder:active:
	 *
	 * Whether probes are answered. While %FALSE the responder reads and drops them, as a
	 * target cut off the network would (no ICMP port unreachable either): tests and labs
	 * make outages with it.
	 *
	 * Since: 0.1
	 */
	props[PROP_ACTIVE] = g_param_spec_boolean(
	    "active", NULL, NULL, TRUE,
	    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
cclm_stuntime_responder_init(CclmStuntimeResponder *self)
{
	self->active = TRUE;
}
