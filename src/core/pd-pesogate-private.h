/* pd-pesogate-private.h: PesoGate's answers read apart from the network
 *
 * Each function takes what pd-http gave (a JSON node, possibly NULL, of any
 * shape) and returns the model or a PD_GATEWAY_ERROR; none trusts a type.
 * Tests and the fuzz targets call them directly.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-payment-outcome.h"
#include "pd-transaction.h"

G_BEGIN_DECLS

/* The answer to initialize: @http_status 2xx, or a 4xx whose body names a
 * transaction (a decline without 3-D Secure). @base_uri is the gateway's
 * origin, for render_html. */
PdPaymentOutcome *pd_pesogate_parse_initialize (guint        http_status,
                                                JsonNode    *body,
                                                const char  *base_uri,
                                                GError     **error);
/* The answer to status, with or without the "data" wrapper. */
PdTransaction    *pd_pesogate_parse_status     (JsonNode    *body,
                                                const char  *reference,
                                                GError     **error);
/* The 2xx answer to refund; *@message gets what the gateway said. */
gboolean          pd_pesogate_parse_refund     (JsonNode    *body,
                                                char       **message,
                                                GError     **error);
/* "scheme://host[:port]/" of @base_url, or NULL when it is no URL. */
char             *pd_pesogate_origin_of        (const char  *base_url);

G_END_DECLS
