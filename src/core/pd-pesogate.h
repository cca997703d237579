/* pd-pesogate.h: one account's client of the PesoGate card gateway */
#pragma once

#include <gio/gio.h>

#include "pd-enums.h"
#include "pd-http.h"
#include "pd-money.h"
#include "pd-payment-outcome.h"
#include "pd-payment-request.h"
#include "pd-refund.h"
#include "pd-transaction.h"

G_BEGIN_DECLS

#define PD_TYPE_PESOGATE (pd_pesogate_get_type ())

G_DECLARE_FINAL_TYPE (PdPesogate, pd_pesogate, PD, PESOGATE, GObject)

/* @base_url is the API's root ("https://gateway.pesogate.com/api/v1").
 * @pacer may be NULL (the documented 100 per minute). Fails like
 * pd_http_new(). */
PdPesogate       *pd_pesogate_new                     (const char           *base_url,
                                                       const char           *api_key,
                                                       const char           *api_secret,
                                                       PdPacer              *pacer,
                                                       GError              **error);
/* The connection, for its timeout, attempts and pacer. */
PdHttp           *pd_pesogate_get_http                (PdPesogate           *self);

/* Sends @request once; a retry after a lost answer reuses its order id
 * (generated here when it has none: read it back from @request). The card
 * number and CVV are wiped from @request once handed to the network, and
 * the request cannot be sent again. Errors are PD_GATEWAY_ERROR: VALIDATION
 * with the field table, or OUTCOME_UNKNOWN when the payment may exist but
 * its answer was lost (PesoGate cannot look a payment up by order id). */
void              pd_pesogate_initialize_async        (PdPesogate           *self,
                                                       PdPaymentRequest     *request,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdPaymentOutcome *pd_pesogate_initialize_finish       (PdPesogate           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* The transaction as the gateway has it now. @flags may add
 * PD_HTTP_FLAGS_BACKGROUND for refreshes nobody waits for. */
void              pd_pesogate_status_async            (PdPesogate           *self,
                                                       const char           *reference,
                                                       PdHttpFlags           flags,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdTransaction    *pd_pesogate_status_finish           (PdPesogate           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Refunds @amount, or the whole remainder when @amount is NULL. Sent once,
 * never again: when its answer is lost the status is asked instead and the
 * refund's outcome says what it showed (SUCCEEDED when the payment is now
 * refunded and @status_before, the status known before, was not; else
 * UNKNOWN). A refusal is an error (BAD_REQUEST: not refundable). */
void              pd_pesogate_refund_async            (PdPesogate           *self,
                                                       const char           *reference,
                                                       const PdMoney        *amount,
                                                       PdStatus              status_before,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* The refund's amount is 0 for a full refund: the gateway does not say how
 * much that was. @transaction (optional) receives what the status check
 * found, when one was made. A cancel after the request was sent ends in
 * PD_GATEWAY_ERROR_CANCELLED like any other: its detail says it was sent. */
PdRefund         *pd_pesogate_refund_finish           (PdPesogate           *self,
                                                       GAsyncResult         *result,
                                                       PdTransaction       **transaction,
                                                       GError              **error);

/* For "Test connection": asks the status of a reference that cannot
 * exist; "not found" means the keys were accepted. */
void              pd_pesogate_check_credentials_async (PdPesogate           *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          pd_pesogate_check_credentials_finish (PdPesogate          *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
