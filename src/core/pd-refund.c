#define G_LOG_DOMAIN "pd-refund"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-refund.h"

struct _PdRefund
{
  GObject parent_instance;

  gint64           ledger_id;
  char            *account_id;
  char            *transaction;
  gint64           amount;
  char            *currency;
  gint64           requested_at;
  PdRefundOutcome  outcome;
  char            *message;
  char            *note;
};

G_DEFINE_FINAL_TYPE (PdRefund, pd_refund, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdRefundOutcome, pd_refund_outcome,
  G_DEFINE_ENUM_VALUE (PD_REFUND_OUTCOME_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (PD_REFUND_OUTCOME_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (PD_REFUND_OUTCOME_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (PD_REFUND_OUTCOME_UNKNOWN, "unknown"))

enum
{
  PROP_0,
  PROP_LEDGER_ID,
  PROP_ACCOUNT_ID,
  PROP_TRANSACTION,
  PROP_AMOUNT,
  PROP_CURRENCY,
  PROP_REQUESTED_AT,
  PROP_OUTCOME,
  PROP_MESSAGE,
  PROP_NOTE,
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
pd_refund_finalize (GObject *object)
{
  PdRefund *self = PD_REFUND (object);

  g_free (self->account_id);
  g_free (self->transaction);
  g_free (self->currency);
  g_free (self->message);
  g_free (self->note);

  G_OBJECT_CLASS (pd_refund_parent_class)->finalize (object);
}

static void
pd_refund_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdRefund *self = PD_REFUND (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      g_value_set_int64 (value, self->ledger_id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_TRANSACTION:
      g_value_set_string (value, self->transaction);
      break;

    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_REQUESTED_AT:
      g_value_set_int64 (value, self->requested_at);
      break;

    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_refund_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdRefund *self = PD_REFUND (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      pd_refund_set_ledger_id (self, g_value_get_int64 (value));
      break;

    case PROP_ACCOUNT_ID:
      pd_refund_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_TRANSACTION:
      pd_refund_set_transaction (self, g_value_get_string (value));
      break;

    case PROP_AMOUNT:
      pd_refund_set_amount (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY:
      pd_refund_set_currency (self, g_value_get_string (value));
      break;

    case PROP_REQUESTED_AT:
      pd_refund_set_requested_at (self, g_value_get_int64 (value));
      break;

    case PROP_OUTCOME:
      pd_refund_set_outcome (self, g_value_get_enum (value));
      break;

    case PROP_MESSAGE:
      pd_refund_set_message (self, g_value_get_string (value));
      break;

    case PROP_NOTE:
      pd_refund_set_note (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_refund_class_init (PdRefundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_refund_finalize;
  object_class->get_property = pd_refund_get_property;
  object_class->set_property = pd_refund_set_property;

  /* The ledger's row id; 0 until the ledger has stored it. */
  properties[PROP_LEDGER_ID] =
    g_param_spec_int64 ("ledger-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The reference of the refunded transaction. */
  properties[PROP_TRANSACTION] =
    g_param_spec_string ("transaction", NULL, NULL,
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

  properties[PROP_REQUESTED_AT] =
    g_param_spec_int64 ("requested-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL,
                       PD_TYPE_REFUND_OUTCOME, PD_REFUND_OUTCOME_PENDING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The gateway's message, if any. */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The merchant's own reason, kept locally. */
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_refund_init (PdRefund *self)
{
  self->outcome = PD_REFUND_OUTCOME_PENDING;
}

const char *
pd_refund_outcome_to_key (PdRefundOutcome outcome)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PD_TYPE_REFUND_OUTCOME);
  GEnumValue *value = g_enum_get_value (klass, outcome);

  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

/* An unknown key reads as UNKNOWN: the safe answer for money that may have moved. */
PdRefundOutcome
pd_refund_outcome_from_key (const char *key)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  if (key == NULL)
    return PD_REFUND_OUTCOME_UNKNOWN;
  klass = g_type_class_ref (PD_TYPE_REFUND_OUTCOME);
  value = g_enum_get_value_by_nick (klass, key);

  return value != NULL ? (PdRefundOutcome) value->value : PD_REFUND_OUTCOME_UNKNOWN;
}

const char *
pd_refund_outcome_get_label (PdRefundOutcome outcome)
{
  switch (outcome)
    {
    case PD_REFUND_OUTCOME_PENDING:
      return _("Pending");
    case PD_REFUND_OUTCOME_SUCCEEDED:
      return _("Refunded");
    case PD_REFUND_OUTCOME_FAILED:
      return _("Failed");
    case PD_REFUND_OUTCOME_UNKNOWN:
    default:
      /* Translators: a refund whose answer was lost; its outcome is being checked */
      return _("Unknown");
    }
}

PdRefund *
pd_refund_new (void)
{
  return g_object_new (PD_TYPE_REFUND, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdRefund *
pd_refund_copy (PdRefund *self)
{
  PdRefund *copy;

  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  copy = pd_refund_new ();
  copy->ledger_id = self->ledger_id;
  copy->account_id = g_strdup (self->account_id);
  copy->transaction = g_strdup (self->transaction);
  copy->amount = self->amount;
  copy->currency = g_strdup (self->currency);
  copy->requested_at = self->requested_at;
  copy->outcome = self->outcome;
  copy->message = g_strdup (self->message);
  copy->note = g_strdup (self->note);

  return copy;
}

gint64
pd_refund_get_ledger_id (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), 0);

  return self->ledger_id;
}

void
pd_refund_set_ledger_id (PdRefund *self,
                         gint64    ledger_id)
{
  g_return_if_fail (PD_IS_REFUND (self));
  g_return_if_fail (ledger_id >= 0);

  if (self->ledger_id == ledger_id)
    return;
  self->ledger_id = ledger_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEDGER_ID]);
}

const char *
pd_refund_get_account_id (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  return self->account_id;
}

void
pd_refund_set_account_id (PdRefund   *self,
                          const char *account_id)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (!set_string (&self->account_id, account_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
pd_refund_get_transaction (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  return self->transaction;
}

void
pd_refund_set_transaction (PdRefund   *self,
                           const char *transaction)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (!set_string (&self->transaction, transaction))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION]);
}

gint64
pd_refund_get_amount (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), 0);

  return self->amount;
}

void
pd_refund_set_amount (PdRefund *self,
                      gint64    amount)
{
  g_return_if_fail (PD_IS_REFUND (self));
  g_return_if_fail (amount >= 0);

  if (self->amount == amount)
    return;
  self->amount = amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AMOUNT]);
}

const char *
pd_refund_get_currency (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  return self->currency;
}

void
pd_refund_set_currency (PdRefund   *self,
                        const char *currency)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (!set_string (&self->currency, currency))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gint64
pd_refund_get_requested_at (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), 0);

  return self->requested_at;
}

void
pd_refund_set_requested_at (PdRefund *self,
                            gint64    requested_at)
{
  g_return_if_fail (PD_IS_REFUND (self));
  g_return_if_fail (requested_at >= 0);

  if (self->requested_at == requested_at)
    return;
  self->requested_at = requested_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTED_AT]);
}

PdRefundOutcome
pd_refund_get_outcome (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), PD_REFUND_OUTCOME_PENDING);

  return self->outcome;
}

void
pd_refund_set_outcome (PdRefund        *self,
                       PdRefundOutcome  outcome)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (self->outcome == outcome)
    return;
  self->outcome = outcome;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

const char *
pd_refund_get_message (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  return self->message;
}

void
pd_refund_set_message (PdRefund   *self,
                       const char *message)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (!set_string (&self->message, message))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
pd_refund_get_note (PdRefund *self)
{
  g_return_val_if_fail (PD_IS_REFUND (self), NULL);

  return self->note;
}

void
pd_refund_set_note (PdRefund   *self,
                    const char *note)
{
  g_return_if_fail (PD_IS_REFUND (self));

  if (!set_string (&self->note, note))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}
