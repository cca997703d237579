#define G_LOG_DOMAIN "pd-payment-confirmation"

#include "config.h"

#include "pd-payment-confirmation.h"

G_DEFINE_BOXED_TYPE (PdPaymentConfirmation, pd_payment_confirmation,
                     pd_payment_confirmation_copy, pd_payment_confirmation_free)

PdPaymentConfirmation *
pd_payment_confirmation_copy (const PdPaymentConfirmation *self)
{
  PdPaymentConfirmation *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (PdPaymentConfirmation, 1);
  copy->transaction_id = g_strdup (self->transaction_id);
  copy->fee = self->fee;
  copy->net_amount = self->net_amount;
  return copy;
}

void
pd_payment_confirmation_free (PdPaymentConfirmation *self)
{
  if (self == NULL)
    return;

  g_free (self->transaction_id);
  g_free (self);
}
