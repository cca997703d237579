#define G_LOG_DOMAIN "pd-transaction"

#include "config.h"

#include <string.h>

#include "pd-transaction.h"

struct _PdTransaction
{
  GObject parent_instance;

  gint64     ledger_id;
  char      *account_id;
  PdGateway  gateway;
  char      *reference;
  char      *order_id;
  gint64     amount;
  char      *currency;
  PdStatus   status;
  char      *gateway_status;
  char      *provider;
  char      *payment_method;
  char      *card_brand;
  char      *card_last_four;
  char      *customer_name;
  char      *customer_email;
  char      *customer_phone;
  char      *metadata;
  PdMode     mode;
  gint64     refunded_amount;
  gint64     created_at;
  gint64     completed_at;
  gint64     updated_at;
};

G_DEFINE_FINAL_TYPE (PdTransaction, pd_transaction, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LEDGER_ID,
  PROP_ACCOUNT_ID,
  PROP_GATEWAY,
  PROP_REFERENCE,
  PROP_ORDER_ID,
  PROP_AMOUNT,
  PROP_CURRENCY,
  PROP_STATUS,
  PROP_GATEWAY_STATUS,
  PROP_PROVIDER,
  PROP_PAYMENT_METHOD,
  PROP_CARD_BRAND,
  PROP_CARD_LAST_FOUR,
  PROP_CUSTOMER_NAME,
  PROP_CUSTOMER_EMAIL,
  PROP_CUSTOMER_PHONE,
  PROP_METADATA,
  PROP_MODE,
  PROP_REFUNDED_AMOUNT,
  PROP_CREATED_AT,
  PROP_COMPLETED_AT,
  PROP_UPDATED_AT,
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

static void
pd_transaction_finalize (GObject *object)
{
  PdTransaction *self = PD_TRANSACTION (object);

  g_free (self->account_id);
  g_free (self->reference);
  g_free (self->order_id);
  g_free (self->currency);
  g_free (self->gateway_status);
  g_free (self->provider);
  g_free (self->payment_method);
  g_free (self->card_brand);
  g_free (self->card_last_four);
  g_free (self->customer_name);
  g_free (self->customer_email);
  g_free (self->customer_phone);
  g_free (self->metadata);

  G_OBJECT_CLASS (pd_transaction_parent_class)->finalize (object);
}

static void
pd_transaction_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdTransaction *self = PD_TRANSACTION (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      g_value_set_int64 (value, self->ledger_id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_GATEWAY:
      g_value_set_enum (value, self->gateway);
      break;

    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;

    case PROP_ORDER_ID:
      g_value_set_string (value, self->order_id);
      break;

    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_GATEWAY_STATUS:
      g_value_set_string (value, self->gateway_status);
      break;

    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;

    case PROP_PAYMENT_METHOD:
      g_value_set_string (value, self->payment_method);
      break;

    case PROP_CARD_BRAND:
      g_value_set_string (value, self->card_brand);
      break;

    case PROP_CARD_LAST_FOUR:
      g_value_set_string (value, self->card_last_four);
      break;

    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;

    case PROP_CUSTOMER_EMAIL:
      g_value_set_string (value, self->customer_email);
      break;

    case PROP_CUSTOMER_PHONE:
      g_value_set_string (value, self->customer_phone);
      break;

    case PROP_METADATA:
      g_value_set_string (value, self->metadata);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_REFUNDED_AMOUNT:
      g_value_set_int64 (value, self->refunded_amount);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_COMPLETED_AT:
      g_value_set_int64 (value, self->completed_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transaction_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdTransaction *self = PD_TRANSACTION (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      pd_transaction_set_ledger_id (self, g_value_get_int64 (value));
      break;

    case PROP_ACCOUNT_ID:
      pd_transaction_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_GATEWAY:
      pd_transaction_set_gateway (self, g_value_get_enum (value));
      break;

    case PROP_REFERENCE:
      pd_transaction_set_reference (self, g_value_get_string (value));
      break;

    case PROP_ORDER_ID:
      pd_transaction_set_order_id (self, g_value_get_string (value));
      break;

    case PROP_AMOUNT:
      pd_transaction_set_amount (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY:
      pd_transaction_set_currency (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      pd_transaction_set_status (self, g_value_get_enum (value));
      break;

    case PROP_GATEWAY_STATUS:
      pd_transaction_set_gateway_status (self, g_value_get_string (value));
      break;

    case PROP_PROVIDER:
      pd_transaction_set_provider (self, g_value_get_string (value));
      break;

    case PROP_PAYMENT_METHOD:
      pd_transaction_set_payment_method (self, g_value_get_string (value));
      break;

    case PROP_CARD_BRAND:
      pd_transaction_set_card_brand (self, g_value_get_string (value));
      break;

    case PROP_CARD_LAST_FOUR:
      pd_transaction_set_card_last_four (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_NAME:
      pd_transaction_set_customer_name (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_EMAIL:
      pd_transaction_set_customer_email (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_PHONE:
      pd_transaction_set_customer_phone (self, g_value_get_string (value));
      break;

    case PROP_METADATA:
      pd_transaction_set_metadata (self, g_value_get_string (value));
      break;

    case PROP_MODE:
      pd_transaction_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_REFUNDED_AMOUNT:
      pd_transaction_set_refunded_amount (self, g_value_get_int64 (value));
      break;

    case PROP_CREATED_AT:
      pd_transaction_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_COMPLETED_AT:
      pd_transaction_set_completed_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      pd_transaction_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transaction_class_init (PdTransactionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_transaction_finalize;
  object_class->get_property = pd_transaction_get_property;
  object_class->set_property = pd_transaction_set_property;

  /* The ledger's row id; 0 until the ledger has stored it. */
  properties[PROP_LEDGER_ID] =
    g_param_spec_int64 ("ledger-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GATEWAY] =
    g_param_spec_enum ("gateway", NULL, NULL,
                       PD_TYPE_GATEWAY, PD_GATEWAY_PESOGATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* PesoGate's transaction_reference or PaysGator's transaction id. */
  properties[PROP_REFERENCE] =
    g_param_spec_string ("reference", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORDER_ID] =
    g_param_spec_string ("order-id", NULL, NULL,
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

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       PD_TYPE_STATUS, PD_STATUS_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The status string exactly as the gateway sent it. */
  properties[PROP_GATEWAY_STATUS] =
    g_param_spec_string ("gateway-status", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* cybersource or mpgs for PesoGate; the payment method for PaysGator. */
  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PAYMENT_METHOD] =
    g_param_spec_string ("payment-method", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CARD_BRAND] =
    g_param_spec_string ("card-brand", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* At most four digits: never more of the card. */
  properties[PROP_CARD_LAST_FOUR] =
    g_param_spec_string ("card-last-four", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOMER_NAME] =
    g_param_spec_string ("customer-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOMER_EMAIL] =
    g_param_spec_string ("customer-email", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOMER_PHONE] =
    g_param_spec_string ("customer-phone", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* JSON text, as sent to the gateway. */
  properties[PROP_METADATA] =
    g_param_spec_string ("metadata", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PD_TYPE_MODE, PD_MODE_LIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Sum of the succeeded refunds, in minor units. */
  properties[PROP_REFUNDED_AMOUNT] =
    g_param_spec_int64 ("refunded-amount", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Unix seconds; 0 when unknown (as are the other times). */
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COMPLETED_AT] =
    g_param_spec_int64 ("completed-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_transaction_init (PdTransaction *self)
{
  self->gateway = PD_GATEWAY_PESOGATE;
  self->status = PD_STATUS_UNKNOWN;
  self->mode = PD_MODE_LIVE;
}

PdTransaction *
pd_transaction_new (void)
{
  return g_object_new (PD_TYPE_TRANSACTION, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdTransaction *
pd_transaction_copy (PdTransaction *self)
{
  PdTransaction *copy;

  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  copy = pd_transaction_new ();
  copy->ledger_id = self->ledger_id;
  copy->account_id = g_strdup (self->account_id);
  copy->gateway = self->gateway;
  copy->reference = g_strdup (self->reference);
  copy->order_id = g_strdup (self->order_id);
  copy->amount = self->amount;
  copy->currency = g_strdup (self->currency);
  copy->status = self->status;
  copy->gateway_status = g_strdup (self->gateway_status);
  copy->provider = g_strdup (self->provider);
  copy->payment_method = g_strdup (self->payment_method);
  copy->card_brand = g_strdup (self->card_brand);
  copy->card_last_four = g_strdup (self->card_last_four);
  copy->customer_name = g_strdup (self->customer_name);
  copy->customer_email = g_strdup (self->customer_email);
  copy->customer_phone = g_strdup (self->customer_phone);
  copy->metadata = g_strdup (self->metadata);
  copy->mode = self->mode;
  copy->refunded_amount = self->refunded_amount;
  copy->created_at = self->created_at;
  copy->completed_at = self->completed_at;
  copy->updated_at = self->updated_at;

  return copy;
}

/* NULL, or one to four ASCII digits: the only part of a card the ledger keeps. */
gboolean
pd_transaction_is_valid_last_four (const char *text)
{
  gsize len;

  if (text == NULL)
    return TRUE;
  len = strlen (text);
  if (len == 0 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gint64
pd_transaction_get_ledger_id (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->ledger_id;
}

void
pd_transaction_set_ledger_id (PdTransaction *self,
                              gint64         ledger_id)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (ledger_id >= 0);

  if (self->ledger_id == ledger_id)
    return;
  self->ledger_id = ledger_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEDGER_ID]);
}

const char *
pd_transaction_get_account_id (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->account_id;
}

void
pd_transaction_set_account_id (PdTransaction *self,
                               const char    *account_id)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->account_id, account_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

PdGateway
pd_transaction_get_gateway (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), PD_GATEWAY_PESOGATE);

  return self->gateway;
}

void
pd_transaction_set_gateway (PdTransaction *self,
                            PdGateway      gateway)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (self->gateway == gateway)
    return;
  self->gateway = gateway;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATEWAY]);
}

const char *
pd_transaction_get_reference (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->reference;
}

void
pd_transaction_set_reference (PdTransaction *self,
                              const char    *reference)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->reference, reference))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCE]);
}

const char *
pd_transaction_get_order_id (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->order_id;
}

void
pd_transaction_set_order_id (PdTransaction *self,
                             const char    *order_id)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->order_id, order_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_ID]);
}

gint64
pd_transaction_get_amount (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->amount;
}

void
pd_transaction_set_amount (PdTransaction *self,
                           gint64         amount)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (amount >= 0);

  if (self->amount == amount)
    return;
  self->amount = amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AMOUNT]);
}

const char *
pd_transaction_get_currency (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->currency;
}

void
pd_transaction_set_currency (PdTransaction *self,
                             const char    *currency)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->currency, currency))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

PdStatus
pd_transaction_get_status (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), PD_STATUS_UNKNOWN);

  return self->status;
}

void
pd_transaction_set_status (PdTransaction *self,
                           PdStatus       status)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
pd_transaction_get_gateway_status (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->gateway_status;
}

void
pd_transaction_set_gateway_status (PdTransaction *self,
                                   const char    *gateway_status)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->gateway_status, gateway_status))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATEWAY_STATUS]);
}

const char *
pd_transaction_get_provider (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->provider;
}

void
pd_transaction_set_provider (PdTransaction *self,
                             const char    *provider)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->provider, provider))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

const char *
pd_transaction_get_payment_method (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->payment_method;
}

void
pd_transaction_set_payment_method (PdTransaction *self,
                                   const char    *payment_method)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->payment_method, payment_method))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_METHOD]);
}

const char *
pd_transaction_get_card_brand (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->card_brand;
}

void
pd_transaction_set_card_brand (PdTransaction *self,
                               const char    *card_brand)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->card_brand, card_brand))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_BRAND]);
}

const char *
pd_transaction_get_card_last_four (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->card_last_four;
}

void
pd_transaction_set_card_last_four (PdTransaction *self,
                                   const char    *card_last_four)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (pd_transaction_is_valid_last_four (card_last_four));

  if (!set_string (&self->card_last_four, card_last_four))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_LAST_FOUR]);
}

const char *
pd_transaction_get_customer_name (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->customer_name;
}

void
pd_transaction_set_customer_name (PdTransaction *self,
                                  const char    *customer_name)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->customer_name, customer_name))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_NAME]);
}

const char *
pd_transaction_get_customer_email (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->customer_email;
}

void
pd_transaction_set_customer_email (PdTransaction *self,
                                   const char    *customer_email)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->customer_email, customer_email))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_EMAIL]);
}

const char *
pd_transaction_get_customer_phone (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->customer_phone;
}

void
pd_transaction_set_customer_phone (PdTransaction *self,
                                   const char    *customer_phone)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->customer_phone, customer_phone))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_PHONE]);
}

const char *
pd_transaction_get_metadata (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), NULL);

  return self->metadata;
}

void
pd_transaction_set_metadata (PdTransaction *self,
                             const char    *metadata)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (!set_string (&self->metadata, metadata))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}

PdMode
pd_transaction_get_mode (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), PD_MODE_LIVE);

  return self->mode;
}

void
pd_transaction_set_mode (PdTransaction *self,
                         PdMode         mode)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gint64
pd_transaction_get_refunded_amount (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->refunded_amount;
}

void
pd_transaction_set_refunded_amount (PdTransaction *self,
                                    gint64         refunded_amount)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (refunded_amount >= 0);

  if (self->refunded_amount == refunded_amount)
    return;
  self->refunded_amount = refunded_amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUNDED_AMOUNT]);
}

gint64
pd_transaction_get_created_at (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->created_at;
}

void
pd_transaction_set_created_at (PdTransaction *self,
                               gint64         created_at)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (created_at >= 0);

  if (self->created_at == created_at)
    return;
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
pd_transaction_get_completed_at (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->completed_at;
}

void
pd_transaction_set_completed_at (PdTransaction *self,
                                 gint64         completed_at)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (completed_at >= 0);

  if (self->completed_at == completed_at)
    return;
  self->completed_at = completed_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETED_AT]);
}

gint64
pd_transaction_get_updated_at (PdTransaction *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION (self), 0);

  return self->updated_at;
}

void
pd_transaction_set_updated_at (PdTransaction *self,
                               gint64         updated_at)
{
  g_return_if_fail (PD_IS_TRANSACTION (self));
  g_return_if_fail (updated_at >= 0);

  if (self->updated_at == updated_at)
    return;
  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}
