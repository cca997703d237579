/* pd-paysgator-private.h: PaysGator's answers read apart from the network
 *
 * Each function takes what pd-http gave (a JSON node, possibly NULL, of any
 * shape) and returns the model or a PD_GATEWAY_ERROR; none trusts a type.
 * Every one accepts both shapes the spec shows: {"success": true, "data":
 * {…}} and the bare object. Tests and the fuzz targets call them directly.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-payment-confirmation.h"
#include "pd-payment-link.h"
#include "pd-subscription.h"
#include "pd-transaction.h"
#include "pd-wallet.h"

G_BEGIN_DECLS

PdPaymentLink         *pd_paysgator_parse_payment_link      (JsonNode    *body,
                                                             GError     **error);
/* Fee and net amount in @currency, the payment link's. */
PdPaymentConfirmation *pd_paysgator_parse_confirmation      (JsonNode    *body,
                                                             const char  *currency,
                                                             GError     **error);
PdWallet              *pd_paysgator_parse_wallet            (JsonNode    *body,
                                                             GError     **error);
PdTransaction         *pd_paysgator_parse_transaction       (JsonNode    *body,
                                                             GError     **error);
/* A created, fetched or updated subscription: each answer has some of its
 * fields; the id and status are required. */
PdSubscription        *pd_paysgator_parse_subscription      (JsonNode    *body,
                                                             GError     **error);
/* A list of PdSubscription. */
GListModel            *pd_paysgator_parse_subscription_list (JsonNode    *body,
                                                             GError     **error);

G_END_DECLS
