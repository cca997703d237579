/* pd-payment-confirmation.h: what PaysGator answered to a confirmed payment */
#pragma once

#include "pd-money.h"

G_BEGIN_DECLS

/* @fee and @net_amount are in the payment link's currency. */
typedef struct
{
  char    *transaction_id;
  PdMoney  fee;
  PdMoney  net_amount;
} PdPaymentConfirmation;

#define PD_TYPE_PAYMENT_CONFIRMATION (pd_payment_confirmation_get_type ())

GType                  pd_payment_confirmation_get_type (void) G_GNUC_CONST;
PdPaymentConfirmation *pd_payment_confirmation_copy     (const PdPaymentConfirmation *self);
void                   pd_payment_confirmation_free     (PdPaymentConfirmation       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPaymentConfirmation, pd_payment_confirmation_free)

G_END_DECLS
