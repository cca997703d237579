#define G_LOG_DOMAIN "pd-wallet"

#include "config.h"

#include "pd-wallet.h"

struct _PdWallet
{
  GObject parent_instance;

  char   *wallet_id;
  char   *currency;
  gint64  balance;
  PdMode  mode;
  gint64  fetched_at;
};

G_DEFINE_FINAL_TYPE (PdWallet, pd_wallet, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_WALLET_ID,
  PROP_CURRENCY,
  PROP_BALANCE,
  PROP_MODE,
  PROP_FETCHED_AT,
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
pd_wallet_finalize (GObject *object)
{
  PdWallet *self = PD_WALLET (object);

  g_free (self->wallet_id);
  g_free (self->currency);

  G_OBJECT_CLASS (pd_wallet_parent_class)->finalize (object);
}

static void
pd_wallet_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdWallet *self = PD_WALLET (object);

  switch (prop_id)
    {
    case PROP_WALLET_ID:
      g_value_set_string (value, self->wallet_id);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_BALANCE:
      g_value_set_int64 (value, self->balance);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_FETCHED_AT:
      g_value_set_int64 (value, self->fetched_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_wallet_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdWallet *self = PD_WALLET (object);

  switch (prop_id)
    {
    case PROP_WALLET_ID:
      pd_wallet_set_wallet_id (self, g_value_get_string (value));
      break;

    case PROP_CURRENCY:
      pd_wallet_set_currency (self, g_value_get_string (value));
      break;

    case PROP_BALANCE:
      pd_wallet_set_balance (self, g_value_get_int64 (value));
      break;

    case PROP_MODE:
      pd_wallet_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_FETCHED_AT:
      pd_wallet_set_fetched_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_wallet_class_init (PdWalletClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_wallet_finalize;
  object_class->get_property = pd_wallet_get_property;
  object_class->set_property = pd_wallet_set_property;

  properties[PROP_WALLET_ID] =
    g_param_spec_string ("wallet-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Minor units of currency. */
  properties[PROP_BALANCE] =
    g_param_spec_int64 ("balance", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PD_TYPE_MODE, PD_MODE_LIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FETCHED_AT] =
    g_param_spec_int64 ("fetched-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_wallet_init (PdWallet *self)
{
  self->mode = PD_MODE_LIVE;
}

PdWallet *
pd_wallet_new (void)
{
  return g_object_new (PD_TYPE_WALLET, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdWallet *
pd_wallet_copy (PdWallet *self)
{
  PdWallet *copy;

  g_return_val_if_fail (PD_IS_WALLET (self), NULL);

  copy = pd_wallet_new ();
  copy->wallet_id = g_strdup (self->wallet_id);
  copy->currency = g_strdup (self->currency);
  copy->balance = self->balance;
  copy->mode = self->mode;
  copy->fetched_at = self->fetched_at;

  return copy;
}

const char *
pd_wallet_get_wallet_id (PdWallet *self)
{
  g_return_val_if_fail (PD_IS_WALLET (self), NULL);

  return self->wallet_id;
}

void
pd_wallet_set_wallet_id (PdWallet   *self,
                         const char *wallet_id)
{
  g_return_if_fail (PD_IS_WALLET (self));

  if (!set_string (&self->wallet_id, wallet_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALLET_ID]);
}

const char *
pd_wallet_get_currency (PdWallet *self)
{
  g_return_val_if_fail (PD_IS_WALLET (self), NULL);

  return self->currency;
}

void
pd_wallet_set_currency (PdWallet   *self,
                        const char *currency)
{
  g_return_if_fail (PD_IS_WALLET (self));

  if (!set_string (&self->currency, currency))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gint64
pd_wallet_get_balance (PdWallet *self)
{
  g_return_val_if_fail (PD_IS_WALLET (self), 0);

  return self->balance;
}

void
pd_wallet_set_balance (PdWallet *self,
                       gint64    balance)
{
  g_return_if_fail (PD_IS_WALLET (self));

  if (self->balance == balance)
    return;
  self->balance = balance;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE]);
}

PdMode
pd_wallet_get_mode (PdWallet *self)
{
  g_return_val_if_fail (PD_IS_WALLET (self), PD_MODE_LIVE);

  return self->mode;
}

void
pd_wallet_set_mode (PdWallet *self,
                    PdMode    mode)
{
  g_return_if_fail (PD_IS_WALLET (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gint64
pd_wallet_get_fetched_at (PdWallet *self)
{
  g_return_val_if_fail (PD_IS_WALLET (self), 0);

  return self->fetched_at;
}

void
pd_wallet_set_fetched_at (PdWallet *self,
                          gint64    fetched_at)
{
  g_return_if_fail (PD_IS_WALLET (self));
  g_return_if_fail (fetched_at >= 0);

  if (self->fetched_at == fetched_at)
    return;
  self->fetched_at = fetched_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FETCHED_AT]);
}
