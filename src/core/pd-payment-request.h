/* pd-payment-request.h: what a card payment sends to PesoGate's initialize
 *
 * The one place besides the form's entries where the card number and CVV
 * live: PdPesogate wipes them as soon as the request has been handed to the
 * network, and pd_payment_request_unref() wipes them at the latest. They are
 * never copied out: the type is reference counted, and no getter returns them.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-card.h"
#include "pd-money.h"

G_BEGIN_DECLS

#define PD_TYPE_PAYMENT_REQUEST (pd_payment_request_get_type ())

typedef struct _PdPaymentRequest PdPaymentRequest;

GType             pd_payment_request_get_type             (void) G_GNUC_CONST;

PdPaymentRequest *pd_payment_request_new                  (const PdMoney     *amount,
                                                           const char        *payment_provider);
PdPaymentRequest *pd_payment_request_ref                  (PdPaymentRequest  *self);
void              pd_payment_request_unref                (PdPaymentRequest  *self);

const PdMoney    *pd_payment_request_get_amount           (PdPaymentRequest  *self);
const char       *pd_payment_request_get_payment_provider (PdPaymentRequest  *self);

/* NULL until the caller sets one or PdPesogate generates one before the
 * first attempt ("PD-<yyyymmdd>-<random>"); every retry sends the same. */
const char       *pd_payment_request_get_order_id         (PdPaymentRequest  *self);
void              pd_payment_request_set_order_id         (PdPaymentRequest  *self,
                                                           const char        *order_id);
/* Sets the order id to a fresh "PD-<yyyymmdd>-<random>" unless it has one. */
const char       *pd_payment_request_ensure_order_id      (PdPaymentRequest  *self);

/* @number may hold spaces or dashes; @cvv is 3 or 4 digits. Fails with
 * PD_CARD_ERROR (never quoting either) when they are not digits of a
 * possible length; brand and Luhn are the gateway's to judge. */
gboolean          pd_payment_request_set_card             (PdPaymentRequest  *self,
                                                           const char        *number,
                                                           const char        *exp_month,
                                                           const char        *exp_year,
                                                           const char        *cvv,
                                                           GError           **error);
/* FALSE once the card data has been wiped (or was never set). */
gboolean          pd_payment_request_has_card             (PdPaymentRequest  *self);
void              pd_payment_request_wipe_card            (PdPaymentRequest  *self);
/* What may be kept of the card: these survive the wipe. */
PdCardBrand       pd_payment_request_get_card_brand       (PdPaymentRequest  *self);
const char       *pd_payment_request_get_card_last_four   (PdPaymentRequest  *self);
const char       *pd_payment_request_get_exp_month        (PdPaymentRequest  *self);
const char       *pd_payment_request_get_exp_year         (PdPaymentRequest  *self);

const char       *pd_payment_request_get_customer_email   (PdPaymentRequest  *self);
const char       *pd_payment_request_get_customer_name    (PdPaymentRequest  *self);
const char       *pd_payment_request_get_customer_phone   (PdPaymentRequest  *self);
void              pd_payment_request_set_customer         (PdPaymentRequest  *self,
                                                           const char        *email,
                                                           const char        *name,
                                                           const char        *phone);
const char       *pd_payment_request_get_return_url       (PdPaymentRequest  *self);
const char       *pd_payment_request_get_cancel_url       (PdPaymentRequest  *self);
void              pd_payment_request_set_urls             (PdPaymentRequest  *self,
                                                           const char        *return_url,
                                                           const char        *cancel_url);
JsonObject       *pd_payment_request_get_metadata         (PdPaymentRequest  *self);
void              pd_payment_request_set_metadata         (PdPaymentRequest  *self,
                                                           JsonObject        *metadata);

/* The initialize body, written by hand so the amount is exact. Wipe it
 * with pd_card_wipe_string(): it holds the card number and CVV. NULL when
 * the card data is gone or no order id is set. */
char             *pd_payment_request_to_json              (PdPaymentRequest  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPaymentRequest, pd_payment_request_unref)

G_END_DECLS
