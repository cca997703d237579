#define G_LOG_DOMAIN "pd-payment-outcome"

#include "config.h"

#include "pd-payment-outcome.h"

struct _PdPaymentOutcome
{
  PdPaymentOutcomeKind  kind;
  char                 *transaction_reference;
  char                 *order_id;
  char                 *message;
  char                 *redirect_url;
  char                 *html_content;
  char                 *base_uri;
  PdStatus              status;
  char                 *gateway_status;
};

G_DEFINE_ENUM_TYPE (PdPaymentOutcomeKind, pd_payment_outcome_kind,
  G_DEFINE_ENUM_VALUE (PD_PAYMENT_OUTCOME_REDIRECT, "redirect"),
  G_DEFINE_ENUM_VALUE (PD_PAYMENT_OUTCOME_RENDER_HTML, "render-html"),
  G_DEFINE_ENUM_VALUE (PD_PAYMENT_OUTCOME_FINAL, "final"))

G_DEFINE_BOXED_TYPE (PdPaymentOutcome, pd_payment_outcome, pd_payment_outcome_copy, pd_payment_outcome_free)

PdPaymentOutcome *
pd_payment_outcome_new (PdPaymentOutcomeKind  kind,
                        const char           *transaction_reference)
{
  PdPaymentOutcome *self;

  g_return_val_if_fail (transaction_reference != NULL, NULL);

  self = g_new0 (PdPaymentOutcome, 1);
  self->kind = kind;
  self->transaction_reference = g_strdup (transaction_reference);
  self->status = PD_STATUS_UNKNOWN;
  return self;
}

PdPaymentOutcome *
pd_payment_outcome_copy (const PdPaymentOutcome *self)
{
  PdPaymentOutcome *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pd_payment_outcome_new (self->kind, self->transaction_reference);
  copy->order_id = g_strdup (self->order_id);
  copy->message = g_strdup (self->message);
  copy->redirect_url = g_strdup (self->redirect_url);
  copy->html_content = g_strdup (self->html_content);
  copy->base_uri = g_strdup (self->base_uri);
  copy->status = self->status;
  copy->gateway_status = g_strdup (self->gateway_status);
  return copy;
}

void
pd_payment_outcome_free (PdPaymentOutcome *self)
{
  if (self == NULL)
    return;

  g_free (self->transaction_reference);
  g_free (self->order_id);
  g_free (self->message);
  g_free (self->redirect_url);
  g_free (self->html_content);
  g_free (self->base_uri);
  g_free (self->gateway_status);
  g_free (self);
}

PdPaymentOutcomeKind
pd_payment_outcome_get_kind (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, PD_PAYMENT_OUTCOME_FINAL);

  return self->kind;
}

const char *
pd_payment_outcome_get_transaction_reference (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->transaction_reference;
}

const char *
pd_payment_outcome_get_order_id (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->order_id;
}

void
pd_payment_outcome_set_order_id (PdPaymentOutcome *self,
                                 const char       *order_id)
{
  g_return_if_fail (self != NULL);

  g_free (self->order_id);
  self->order_id = g_strdup (order_id);
}

const char *
pd_payment_outcome_get_message (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->message;
}

void
pd_payment_outcome_set_message (PdPaymentOutcome *self,
                                const char       *message)
{
  g_return_if_fail (self != NULL);

  g_free (self->message);
  self->message = g_strdup (message);
}

const char *
pd_payment_outcome_get_redirect_url (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->redirect_url;
}

void
pd_payment_outcome_set_redirect_url (PdPaymentOutcome *self,
                                     const char       *redirect_url)
{
  g_return_if_fail (self != NULL);

  g_free (self->redirect_url);
  self->redirect_url = g_strdup (redirect_url);
}

const char *
pd_payment_outcome_get_html_content (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->html_content;
}

const char *
pd_payment_outcome_get_base_uri (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_uri;
}

void
pd_payment_outcome_set_html (PdPaymentOutcome *self,
                             const char       *html_content,
                             const char       *base_uri)
{
  g_return_if_fail (self != NULL);

  g_free (self->html_content);
  self->html_content = g_strdup (html_content);
  g_free (self->base_uri);
  self->base_uri = g_strdup (base_uri);
}

PdStatus
pd_payment_outcome_get_status (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, PD_STATUS_UNKNOWN);

  return self->status;
}

const char *
pd_payment_outcome_get_gateway_status (const PdPaymentOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->gateway_status;
}

void
pd_payment_outcome_set_status (PdPaymentOutcome *self,
                               PdStatus          status,
                               const char       *gateway_status)
{
  g_return_if_fail (self != NULL);

  self->status = status;
  g_free (self->gateway_status);
  self->gateway_status = g_strdup (gateway_status);
}
