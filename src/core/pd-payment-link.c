#define G_LOG_DOMAIN "pd-payment-link"

#include "config.h"

#include "pd-payment-link.h"

struct _PdPaymentLink
{
  GObject parent_instance;

  char      *id;
  char      *account_id;
  char      *transaction_id;
  char      *checkout_url;
  gint64     amount;
  char      *currency;
  char     **payment_methods;
  char      *external_id;
  PdStatus   status;
  PdMode     mode;
  gint64     created_at;
};

G_DEFINE_FINAL_TYPE (PdPaymentLink, pd_payment_link, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_TRANSACTION_ID,
  PROP_CHECKOUT_URL,
  PROP_AMOUNT,
  PROP_CURRENCY,
  PROP_PAYMENT_METHODS,
  PROP_EXTERNAL_ID,
  PROP_STATUS,
  PROP_MODE,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Replaces *@field by a copy of @value; TRUE when that changed anything. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_strv (char              ***field,
          const char * const  *value)
{
  if (*field == NULL && value == NULL)
    return FALSE;
  if (*field != NULL && value != NULL && g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

static void
pd_payment_link_finalize (GObject *object)
{
  PdPaymentLink *self = PD_PAYMENT_LINK (object);

  g_free (self->id);
  g_free (self->account_id);
  g_free (self->transaction_id);
  g_free (self->checkout_url);
  g_free (self->currency);
  g_strfreev (self->payment_methods);
  g_free (self->external_id);

  G_OBJECT_CLASS (pd_payment_link_parent_class)->finalize (object);
}

static void
pd_payment_link_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdPaymentLink *self = PD_PAYMENT_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_TRANSACTION_ID:
      g_value_set_string (value, self->transaction_id);
      break;

    case PROP_CHECKOUT_URL:
      g_value_set_string (value, self->checkout_url);
      break;

    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_PAYMENT_METHODS:
      g_value_set_boxed (value, self->payment_methods);
      break;

    case PROP_EXTERNAL_ID:
      g_value_set_string (value, self->external_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_payment_link_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdPaymentLink *self = PD_PAYMENT_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      pd_payment_link_set_id (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_ID:
      pd_payment_link_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_TRANSACTION_ID:
      pd_payment_link_set_transaction_id (self, g_value_get_string (value));
      break;

    case PROP_CHECKOUT_URL:
      pd_payment_link_set_checkout_url (self, g_value_get_string (value));
      break;

    case PROP_AMOUNT:
      pd_payment_link_set_amount (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY:
      pd_payment_link_set_currency (self, g_value_get_string (value));
      break;

    case PROP_PAYMENT_METHODS:
      pd_payment_link_set_payment_methods (self, g_value_get_boxed (value));
      break;

    case PROP_EXTERNAL_ID:
      pd_payment_link_set_external_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      pd_payment_link_set_status (self, g_value_get_enum (value));
      break;

    case PROP_MODE:
      pd_payment_link_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_CREATED_AT:
      pd_payment_link_set_created_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_payment_link_class_init (PdPaymentLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_payment_link_finalize;
  object_class->get_property = pd_payment_link_get_property;
  object_class->set_property = pd_payment_link_set_property;

  /* PaysGator's paymentlinkId. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TRANSACTION_ID] =
    g_param_spec_string ("transaction-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CHECKOUT_URL] =
    g_param_spec_string ("checkout-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Minor units of currency. */
  properties[PROP_AMOUNT] =
    g_param_spec_int64 ("amount", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Allowed methods ("MPESA", "CARD"); NULL for the gateway's default. */
  properties[PROP_PAYMENT_METHODS] =
    g_param_spec_boxed ("payment-methods", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EXTERNAL_ID] =
    g_param_spec_string ("external-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       PD_TYPE_STATUS, PD_STATUS_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PD_TYPE_MODE, PD_MODE_LIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_payment_link_init (PdPaymentLink *self)
{
  self->status = PD_STATUS_UNKNOWN;
  self->mode = PD_MODE_LIVE;
}

PdPaymentLink *
pd_payment_link_new (void)
{
  return g_object_new (PD_TYPE_PAYMENT_LINK, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdPaymentLink *
pd_payment_link_copy (PdPaymentLink *self)
{
  PdPaymentLink *copy;

  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  copy = pd_payment_link_new ();
  copy->id = g_strdup (self->id);
  copy->account_id = g_strdup (self->account_id);
  copy->transaction_id = g_strdup (self->transaction_id);
  copy->checkout_url = g_strdup (self->checkout_url);
  copy->amount = self->amount;
  copy->currency = g_strdup (self->currency);
  copy->payment_methods = g_strdupv (self->payment_methods);
  copy->external_id = g_strdup (self->external_id);
  copy->status = self->status;
  copy->mode = self->mode;
  copy->created_at = self->created_at;

  return copy;
}

const char *
pd_payment_link_get_id (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->id;
}

void
pd_payment_link_set_id (PdPaymentLink *self,
                        const char    *id)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->id, id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
pd_payment_link_get_account_id (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->account_id;
}

void
pd_payment_link_set_account_id (PdPaymentLink *self,
                                const char    *account_id)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->account_id, account_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
pd_payment_link_get_transaction_id (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->transaction_id;
}

void
pd_payment_link_set_transaction_id (PdPaymentLink *self,
                                    const char    *transaction_id)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->transaction_id, transaction_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION_ID]);
}

const char *
pd_payment_link_get_checkout_url (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->checkout_url;
}

void
pd_payment_link_set_checkout_url (PdPaymentLink *self,
                                  const char    *checkout_url)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->checkout_url, checkout_url))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKOUT_URL]);
}

gint64
pd_payment_link_get_amount (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), 0);

  return self->amount;
}

void
pd_payment_link_set_amount (PdPaymentLink *self,
                            gint64         amount)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));
  g_return_if_fail (amount >= 0);

  if (self->amount == amount)
    return;
  self->amount = amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AMOUNT]);
}

const char *
pd_payment_link_get_currency (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->currency;
}

void
pd_payment_link_set_currency (PdPaymentLink *self,
                              const char    *currency)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->currency, currency))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

const char * const *
pd_payment_link_get_payment_methods (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return (const char * const *) self->payment_methods;
}

void
pd_payment_link_set_payment_methods (PdPaymentLink      *self,
                                     const char * const *payment_methods)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_strv (&self->payment_methods, payment_methods))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_METHODS]);
}

const char *
pd_payment_link_get_external_id (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), NULL);

  return self->external_id;
}

void
pd_payment_link_set_external_id (PdPaymentLink *self,
                                 const char    *external_id)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (!set_string (&self->external_id, external_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_ID]);
}

PdStatus
pd_payment_link_get_status (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), PD_STATUS_UNKNOWN);

  return self->status;
}

void
pd_payment_link_set_status (PdPaymentLink *self,
                            PdStatus       status)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

PdMode
pd_payment_link_get_mode (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), PD_MODE_LIVE);

  return self->mode;
}

void
pd_payment_link_set_mode (PdPaymentLink *self,
                          PdMode         mode)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gint64
pd_payment_link_get_created_at (PdPaymentLink *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_LINK (self), 0);

  return self->created_at;
}

void
pd_payment_link_set_created_at (PdPaymentLink *self,
                                gint64         created_at)
{
  g_return_if_fail (PD_IS_PAYMENT_LINK (self));
  g_return_if_fail (created_at >= 0);

  if (self->created_at == created_at)
    return;
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}
