/* pd-transaction.h: one payment, as the ledger records it and the views show it */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

#define PD_TYPE_TRANSACTION (pd_transaction_get_type ())
G_DECLARE_FINAL_TYPE (PdTransaction, pd_transaction, PD, TRANSACTION, GObject)

PdTransaction *pd_transaction_new                 (void);
PdTransaction *pd_transaction_copy                (PdTransaction *self);
gboolean       pd_transaction_is_valid_last_four  (const char *text);
gint64         pd_transaction_get_ledger_id       (PdTransaction *self);
void           pd_transaction_set_ledger_id       (PdTransaction *self,
                                                   gint64         ledger_id);
const char    *pd_transaction_get_account_id      (PdTransaction *self);
void           pd_transaction_set_account_id      (PdTransaction *self,
                                                   const char    *account_id);
PdGateway      pd_transaction_get_gateway         (PdTransaction *self);
void           pd_transaction_set_gateway         (PdTransaction *self,
                                                   PdGateway      gateway);
const char    *pd_transaction_get_reference       (PdTransaction *self);
void           pd_transaction_set_reference       (PdTransaction *self,
                                                   const char    *reference);
const char    *pd_transaction_get_order_id        (PdTransaction *self);
void           pd_transaction_set_order_id        (PdTransaction *self,
                                                   const char    *order_id);
gint64         pd_transaction_get_amount          (PdTransaction *self);
void           pd_transaction_set_amount          (PdTransaction *self,
                                                   gint64         amount);
const char    *pd_transaction_get_currency        (PdTransaction *self);
void           pd_transaction_set_currency        (PdTransaction *self,
                                                   const char    *currency);
PdStatus       pd_transaction_get_status          (PdTransaction *self);
void           pd_transaction_set_status          (PdTransaction *self,
                                                   PdStatus       status);
const char    *pd_transaction_get_gateway_status  (PdTransaction *self);
void           pd_transaction_set_gateway_status  (PdTransaction *self,
                                                   const char    *gateway_status);
const char    *pd_transaction_get_provider        (PdTransaction *self);
void           pd_transaction_set_provider        (PdTransaction *self,
                                                   const char    *provider);
const char    *pd_transaction_get_payment_method  (PdTransaction *self);
void           pd_transaction_set_payment_method  (PdTransaction *self,
                                                   const char    *payment_method);
const char    *pd_transaction_get_card_brand      (PdTransaction *self);
void           pd_transaction_set_card_brand      (PdTransaction *self,
                                                   const char    *card_brand);
const char    *pd_transaction_get_card_last_four  (PdTransaction *self);
void           pd_transaction_set_card_last_four  (PdTransaction *self,
                                                   const char    *card_last_four);
const char    *pd_transaction_get_customer_name   (PdTransaction *self);
void           pd_transaction_set_customer_name   (PdTransaction *self,
                                                   const char    *customer_name);
const char    *pd_transaction_get_customer_email  (PdTransaction *self);
void           pd_transaction_set_customer_email  (PdTransaction *self,
                                                   const char    *customer_email);
const char    *pd_transaction_get_customer_phone  (PdTransaction *self);
void           pd_transaction_set_customer_phone  (PdTransaction *self,
                                                   const char    *customer_phone);
const char    *pd_transaction_get_metadata        (PdTransaction *self);
void           pd_transaction_set_metadata        (PdTransaction *self,
                                                   const char    *metadata);
PdMode         pd_transaction_get_mode            (PdTransaction *self);
void           pd_transaction_set_mode            (PdTransaction *self,
                                                   PdMode         mode);
gint64         pd_transaction_get_refunded_amount (PdTransaction *self);
void           pd_transaction_set_refunded_amount (PdTransaction *self,
                                                   gint64         refunded_amount);
gint64         pd_transaction_get_created_at      (PdTransaction *self);
void           pd_transaction_set_created_at      (PdTransaction *self,
                                                   gint64         created_at);
gint64         pd_transaction_get_completed_at    (PdTransaction *self);
void           pd_transaction_set_completed_at    (PdTransaction *self,
                                                   gint64         completed_at);
gint64         pd_transaction_get_updated_at      (PdTransaction *self);
void           pd_transaction_set_updated_at      (PdTransaction *self,
                                                   gint64         updated_at);

G_END_DECLS
