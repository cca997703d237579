/* pd-payment-outcome.h: what PesoGate answered to a payment's initialize */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

/**
 * PdPaymentOutcomeKind:
 * @PD_PAYMENT_OUTCOME_REDIRECT: 3-D Secure: load pd_payment_outcome_get_redirect_url()
 * @PD_PAYMENT_OUTCOME_RENDER_HTML: 3-D Secure: load pd_payment_outcome_get_html_content()
 *   with pd_payment_outcome_get_base_uri() (the gateway's origin) as base URI
 * @PD_PAYMENT_OUTCOME_FINAL: the gateway answered at once, without 3-D Secure
 *   (e.g. a decline); pd_payment_outcome_get_status() says what it said, and
 *   the status call is the truth
 */
typedef enum
{
  PD_PAYMENT_OUTCOME_REDIRECT,
  PD_PAYMENT_OUTCOME_RENDER_HTML,
  PD_PAYMENT_OUTCOME_FINAL,
} PdPaymentOutcomeKind;

#define PD_TYPE_PAYMENT_OUTCOME_KIND (pd_payment_outcome_kind_get_type ())
#define PD_TYPE_PAYMENT_OUTCOME      (pd_payment_outcome_get_type ())

typedef struct _PdPaymentOutcome PdPaymentOutcome;

GType                 pd_payment_outcome_kind_get_type              (void) G_GNUC_CONST;
GType                 pd_payment_outcome_get_type                   (void) G_GNUC_CONST;

PdPaymentOutcome     *pd_payment_outcome_new                        (PdPaymentOutcomeKind     kind,
                                                                     const char              *transaction_reference);
PdPaymentOutcome     *pd_payment_outcome_copy                       (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_free                       (PdPaymentOutcome        *self);

PdPaymentOutcomeKind  pd_payment_outcome_get_kind                   (const PdPaymentOutcome  *self);
/* Never NULL: every outcome names its transaction. */
const char           *pd_payment_outcome_get_transaction_reference  (const PdPaymentOutcome  *self);
/* The order id the payment was sent with. */
const char           *pd_payment_outcome_get_order_id               (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_set_order_id               (PdPaymentOutcome        *self,
                                                                     const char              *order_id);
/* What the gateway said ("3DS authentication required"), or NULL. */
const char           *pd_payment_outcome_get_message                (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_set_message                (PdPaymentOutcome        *self,
                                                                     const char              *message);
const char           *pd_payment_outcome_get_redirect_url           (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_set_redirect_url           (PdPaymentOutcome        *self,
                                                                     const char              *redirect_url);
const char           *pd_payment_outcome_get_html_content           (const PdPaymentOutcome  *self);
/* "scheme://host[:port]/" of the gateway. */
const char           *pd_payment_outcome_get_base_uri               (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_set_html                   (PdPaymentOutcome        *self,
                                                                     const char              *html_content,
                                                                     const char              *base_uri);
/* For FINAL: the status the answer gave (UNKNOWN when it gave none) and the
 * gateway's own string for it, or NULL. */
PdStatus              pd_payment_outcome_get_status                 (const PdPaymentOutcome  *self);
const char           *pd_payment_outcome_get_gateway_status         (const PdPaymentOutcome  *self);
void                  pd_payment_outcome_set_status                 (PdPaymentOutcome        *self,
                                                                     PdStatus                 status,
                                                                     const char              *gateway_status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPaymentOutcome, pd_payment_outcome_free)

G_END_DECLS
