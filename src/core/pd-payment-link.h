/* pd-payment-link.h: a PaysGator payment link and the transaction behind it */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

#define PD_TYPE_PAYMENT_LINK (pd_payment_link_get_type ())
G_DECLARE_FINAL_TYPE (PdPaymentLink, pd_payment_link, PD, PAYMENT_LINK, GObject)

PdPaymentLink      *pd_payment_link_new                 (void);
PdPaymentLink      *pd_payment_link_copy                (PdPaymentLink *self);
const char         *pd_payment_link_get_id              (PdPaymentLink *self);
void                pd_payment_link_set_id              (PdPaymentLink *self,
                                                         const char    *id);
const char         *pd_payment_link_get_account_id      (PdPaymentLink *self);
void                pd_payment_link_set_account_id      (PdPaymentLink *self,
                                                         const char    *account_id);
const char         *pd_payment_link_get_transaction_id  (PdPaymentLink *self);
void                pd_payment_link_set_transaction_id  (PdPaymentLink *self,
                                                         const char    *transaction_id);
const char         *pd_payment_link_get_checkout_url    (PdPaymentLink *self);
void                pd_payment_link_set_checkout_url    (PdPaymentLink *self,
                                                         const char    *checkout_url);
gint64              pd_payment_link_get_amount          (PdPaymentLink *self);
void                pd_payment_link_set_amount          (PdPaymentLink *self,
                                                         gint64         amount);
const char         *pd_payment_link_get_currency        (PdPaymentLink *self);
void                pd_payment_link_set_currency        (PdPaymentLink *self,
                                                         const char    *currency);
const char * const *pd_payment_link_get_payment_methods (PdPaymentLink *self);
void                pd_payment_link_set_payment_methods (PdPaymentLink      *self,
                                                         const char * const *payment_methods);
const char         *pd_payment_link_get_external_id     (PdPaymentLink *self);
void                pd_payment_link_set_external_id     (PdPaymentLink *self,
                                                         const char    *external_id);
PdStatus            pd_payment_link_get_status          (PdPaymentLink *self);
void                pd_payment_link_set_status          (PdPaymentLink *self,
                                                         PdStatus       status);
PdMode              pd_payment_link_get_mode            (PdPaymentLink *self);
void                pd_payment_link_set_mode            (PdPaymentLink *self,
                                                         PdMode         mode);
gint64              pd_payment_link_get_created_at      (PdPaymentLink *self);
void                pd_payment_link_set_created_at      (PdPaymentLink *self,
                                                         gint64         created_at);

G_END_DECLS
