#define G_LOG_DOMAIN "pd-subscription"

#include "config.h"

#include "pd-subscription.h"

struct _PdSubscription
{
  GObject parent_instance;

  char                 *id;
  char                 *account_id;
  char                 *plan_id;
  char                 *customer_email;
  char                 *customer_name;
  PdSubscriptionStatus  status;
  char                 *checkout_url;
  gint64                current_period_start;
  gint64                current_period_end;
  gint64                created_at;
  PdMode                mode;
  gint64                seen_at;
};

G_DEFINE_FINAL_TYPE (PdSubscription, pd_subscription, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_PLAN_ID,
  PROP_CUSTOMER_EMAIL,
  PROP_CUSTOMER_NAME,
  PROP_STATUS,
  PROP_CHECKOUT_URL,
  PROP_CURRENT_PERIOD_START,
  PROP_CURRENT_PERIOD_END,
  PROP_CREATED_AT,
  PROP_MODE,
  PROP_SEEN_AT,
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
pd_subscription_finalize (GObject *object)
{
  PdSubscription *self = PD_SUBSCRIPTION (object);

  g_free (self->id);
  g_free (self->account_id);
  g_free (self->plan_id);
  g_free (self->customer_email);
  g_free (self->customer_name);
  g_free (self->checkout_url);

  G_OBJECT_CLASS (pd_subscription_parent_class)->finalize (object);
}

static void
pd_subscription_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdSubscription *self = PD_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_PLAN_ID:
      g_value_set_string (value, self->plan_id);
      break;

    case PROP_CUSTOMER_EMAIL:
      g_value_set_string (value, self->customer_email);
      break;

    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_CHECKOUT_URL:
      g_value_set_string (value, self->checkout_url);
      break;

    case PROP_CURRENT_PERIOD_START:
      g_value_set_int64 (value, self->current_period_start);
      break;

    case PROP_CURRENT_PERIOD_END:
      g_value_set_int64 (value, self->current_period_end);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_SEEN_AT:
      g_value_set_int64 (value, self->seen_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_subscription_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdSubscription *self = PD_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      pd_subscription_set_id (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_ID:
      pd_subscription_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_PLAN_ID:
      pd_subscription_set_plan_id (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_EMAIL:
      pd_subscription_set_customer_email (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_NAME:
      pd_subscription_set_customer_name (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      pd_subscription_set_status (self, g_value_get_enum (value));
      break;

    case PROP_CHECKOUT_URL:
      pd_subscription_set_checkout_url (self, g_value_get_string (value));
      break;

    case PROP_CURRENT_PERIOD_START:
      pd_subscription_set_current_period_start (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENT_PERIOD_END:
      pd_subscription_set_current_period_end (self, g_value_get_int64 (value));
      break;

    case PROP_CREATED_AT:
      pd_subscription_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_MODE:
      pd_subscription_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_SEEN_AT:
      pd_subscription_set_seen_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_subscription_class_init (PdSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_subscription_finalize;
  object_class->get_property = pd_subscription_get_property;
  object_class->set_property = pd_subscription_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLAN_ID] =
    g_param_spec_string ("plan-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOMER_EMAIL] =
    g_param_spec_string ("customer-email", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOMER_NAME] =
    g_param_spec_string ("customer-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       PD_TYPE_SUBSCRIPTION_STATUS, PD_SUBSCRIPTION_STATUS_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CHECKOUT_URL] =
    g_param_spec_string ("checkout-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CURRENT_PERIOD_START] =
    g_param_spec_int64 ("current-period-start", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CURRENT_PERIOD_END] =
    g_param_spec_int64 ("current-period-end", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PD_TYPE_MODE, PD_MODE_LIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* When the ledger last stored it. */
  properties[PROP_SEEN_AT] =
    g_param_spec_int64 ("seen-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_subscription_init (PdSubscription *self)
{
  self->status = PD_SUBSCRIPTION_STATUS_UNKNOWN;
  self->mode = PD_MODE_LIVE;
}

PdSubscription *
pd_subscription_new (void)
{
  return g_object_new (PD_TYPE_SUBSCRIPTION, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdSubscription *
pd_subscription_copy (PdSubscription *self)
{
  PdSubscription *copy;

  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  copy = pd_subscription_new ();
  copy->id = g_strdup (self->id);
  copy->account_id = g_strdup (self->account_id);
  copy->plan_id = g_strdup (self->plan_id);
  copy->customer_email = g_strdup (self->customer_email);
  copy->customer_name = g_strdup (self->customer_name);
  copy->status = self->status;
  copy->checkout_url = g_strdup (self->checkout_url);
  copy->current_period_start = self->current_period_start;
  copy->current_period_end = self->current_period_end;
  copy->created_at = self->created_at;
  copy->mode = self->mode;
  copy->seen_at = self->seen_at;

  return copy;
}

const char *
pd_subscription_get_id (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->id;
}

void
pd_subscription_set_id (PdSubscription *self,
                        const char     *id)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->id, id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
pd_subscription_get_account_id (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->account_id;
}

void
pd_subscription_set_account_id (PdSubscription *self,
                                const char     *account_id)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->account_id, account_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
pd_subscription_get_plan_id (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->plan_id;
}

void
pd_subscription_set_plan_id (PdSubscription *self,
                             const char     *plan_id)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->plan_id, plan_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN_ID]);
}

const char *
pd_subscription_get_customer_email (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->customer_email;
}

void
pd_subscription_set_customer_email (PdSubscription *self,
                                    const char     *customer_email)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->customer_email, customer_email))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_EMAIL]);
}

const char *
pd_subscription_get_customer_name (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->customer_name;
}

void
pd_subscription_set_customer_name (PdSubscription *self,
                                   const char     *customer_name)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->customer_name, customer_name))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_NAME]);
}

PdSubscriptionStatus
pd_subscription_get_status (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), PD_SUBSCRIPTION_STATUS_UNKNOWN);

  return self->status;
}

void
pd_subscription_set_status (PdSubscription       *self,
                            PdSubscriptionStatus  status)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
pd_subscription_get_checkout_url (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), NULL);

  return self->checkout_url;
}

void
pd_subscription_set_checkout_url (PdSubscription *self,
                                  const char     *checkout_url)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (!set_string (&self->checkout_url, checkout_url))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKOUT_URL]);
}

gint64
pd_subscription_get_current_period_start (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), 0);

  return self->current_period_start;
}

void
pd_subscription_set_current_period_start (PdSubscription *self,
                                          gint64          current_period_start)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));
  g_return_if_fail (current_period_start >= 0);

  if (self->current_period_start == current_period_start)
    return;
  self->current_period_start = current_period_start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PERIOD_START]);
}

gint64
pd_subscription_get_current_period_end (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), 0);

  return self->current_period_end;
}

void
pd_subscription_set_current_period_end (PdSubscription *self,
                                        gint64          current_period_end)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));
  g_return_if_fail (current_period_end >= 0);

  if (self->current_period_end == current_period_end)
    return;
  self->current_period_end = current_period_end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PERIOD_END]);
}

gint64
pd_subscription_get_created_at (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), 0);

  return self->created_at;
}

void
pd_subscription_set_created_at (PdSubscription *self,
                                gint64          created_at)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));
  g_return_if_fail (created_at >= 0);

  if (self->created_at == created_at)
    return;
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

PdMode
pd_subscription_get_mode (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), PD_MODE_LIVE);

  return self->mode;
}

void
pd_subscription_set_mode (PdSubscription *self,
                          PdMode          mode)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gint64
pd_subscription_get_seen_at (PdSubscription *self)
{
  g_return_val_if_fail (PD_IS_SUBSCRIPTION (self), 0);

  return self->seen_at;
}

void
pd_subscription_set_seen_at (PdSubscription *self,
                             gint64          seen_at)
{
  g_return_if_fail (PD_IS_SUBSCRIPTION (self));
  g_return_if_fail (seen_at >= 0);

  if (self->seen_at == seen_at)
    return;
  self->seen_at = seen_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEEN_AT]);
}
