#define G_LOG_DOMAIN "pd-enums"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-enums.h"

G_DEFINE_ENUM_TYPE (PdGateway, pd_gateway,
  G_DEFINE_ENUM_VALUE (PD_GATEWAY_PESOGATE, "pesogate"),
  G_DEFINE_ENUM_VALUE (PD_GATEWAY_PAYSGATOR, "paysgator"))

G_DEFINE_ENUM_TYPE (PdMode, pd_mode,
  G_DEFINE_ENUM_VALUE (PD_MODE_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (PD_MODE_TEST, "test"))

G_DEFINE_ENUM_TYPE (PdStatus, pd_status,
  G_DEFINE_ENUM_VALUE (PD_STATUS_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_INITIALIZED, "initialized"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_AUTHORIZED, "authorized"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_REFUNDED, "refunded"),
  G_DEFINE_ENUM_VALUE (PD_STATUS_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (PdSubscriptionStatus, pd_subscription_status,
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_STATUS_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_STATUS_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_STATUS_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_STATUS_PAST_DUE, "past-due"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_STATUS_CANCELED, "canceled"))

/* The nick of @value in @type, or NULL. */
static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v ? v->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *v;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v == NULL)
    return FALSE;
  *value = v->value;
  return TRUE;
}

const char *
pd_gateway_to_key (PdGateway gateway)
{
  return enum_nick (PD_TYPE_GATEWAY, gateway);
}

gboolean
pd_gateway_from_key (const char *key,
                     PdGateway  *gateway)
{
  int value;

  if (!enum_from_nick (PD_TYPE_GATEWAY, key, &value))
    return FALSE;
  *gateway = value;
  return TRUE;
}

const char *
pd_gateway_get_label (PdGateway gateway)
{
  switch (gateway)
    {
    case PD_GATEWAY_PESOGATE:
      return "PesoGate";
    case PD_GATEWAY_PAYSGATOR:
      return "PaysGator";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pd_mode_to_key (PdMode mode)
{
  return enum_nick (PD_TYPE_MODE, mode);
}

gboolean
pd_mode_from_key (const char *key,
                  PdMode     *mode)
{
  int value;

  if (!enum_from_nick (PD_TYPE_MODE, key, &value))
    return FALSE;
  *mode = value;
  return TRUE;
}

const char *
pd_mode_get_label (PdMode mode)
{
  switch (mode)
    {
    case PD_MODE_LIVE:
      /* Translators: PaysGator's mode, shown as a badge; keep it short */
      return _("LIVE");
    case PD_MODE_TEST:
      /* Translators: PaysGator's mode, shown as a badge; keep it short */
      return _("TEST");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pd_status_to_key (PdStatus status)
{
  return enum_nick (PD_TYPE_STATUS, status);
}

PdStatus
pd_status_from_key (const char *key)
{
  int value;

  return enum_from_nick (PD_TYPE_STATUS, key, &value) ? (PdStatus) value : PD_STATUS_UNKNOWN;
}

/* PesoGate's statuses are the app's own keys; matching ignores case so that
 * "Completed" from a gateway that capitalises still maps. */
PdStatus
pd_status_from_pesogate (const char *gateway_status)
{
  g_autofree char *lower = NULL;

  if (gateway_status == NULL)
    return PD_STATUS_UNKNOWN;
  lower = g_ascii_strdown (gateway_status, -1);
  if (g_str_equal (lower, "canceled"))
    return PD_STATUS_CANCELLED;
  if (g_str_equal (lower, "unknown"))
    return PD_STATUS_UNKNOWN;
  return pd_status_from_key (lower);
}

PdStatus
pd_status_from_paysgator (const char *gateway_status)
{
  static const struct { const char *gateway; PdStatus status; } map[] = {
    { "PENDING", PD_STATUS_PENDING },
    { "SUCCESS", PD_STATUS_COMPLETED },
    { "FAILED", PD_STATUS_FAILED },
    { "REFUNDED", PD_STATUS_REFUNDED },
  };

  if (gateway_status == NULL)
    return PD_STATUS_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (gateway_status, map[i].gateway) == 0)
      return map[i].status;
  return PD_STATUS_UNKNOWN;
}

gboolean
pd_status_is_final (PdStatus status)
{
  switch (status)
    {
    case PD_STATUS_COMPLETED:
    case PD_STATUS_FAILED:
    case PD_STATUS_REFUNDED:
    case PD_STATUS_CANCELLED:
      return TRUE;
    case PD_STATUS_UNKNOWN:
    case PD_STATUS_INITIALIZED:
    case PD_STATUS_PENDING:
    case PD_STATUS_AUTHORIZED:
    default:
      return FALSE;
    }
}

const char *
pd_status_get_label (PdStatus status)
{
  switch (status)
    {
    case PD_STATUS_INITIALIZED:
      return _("Initialized");
    case PD_STATUS_PENDING:
      return _("Pending");
    case PD_STATUS_AUTHORIZED:
      return _("Authorized");
    case PD_STATUS_COMPLETED:
      return _("Completed");
    case PD_STATUS_FAILED:
      return _("Failed");
    case PD_STATUS_REFUNDED:
      return _("Refunded");
    case PD_STATUS_CANCELLED:
      return _("Cancelled");
    case PD_STATUS_UNKNOWN:
    default:
      return _("Unknown");
    }
}

const char *
pd_subscription_status_to_key (PdSubscriptionStatus status)
{
  return enum_nick (PD_TYPE_SUBSCRIPTION_STATUS, status);
}

/* Accepts both the app's keys and PaysGator's ("PAST_DUE"). */
PdSubscriptionStatus
pd_subscription_status_from_key (const char *key)
{
  g_autofree char *nick = NULL;
  int value;

  if (key == NULL)
    return PD_SUBSCRIPTION_STATUS_UNKNOWN;
  nick = g_ascii_strdown (key, -1);
  g_strdelimit (nick, "_", '-');
  if (g_str_equal (nick, "cancelled"))
    return PD_SUBSCRIPTION_STATUS_CANCELED;
  return enum_from_nick (PD_TYPE_SUBSCRIPTION_STATUS, nick, &value)
         ? (PdSubscriptionStatus) value : PD_SUBSCRIPTION_STATUS_UNKNOWN;
}

const char *
pd_subscription_status_get_label (PdSubscriptionStatus status)
{
  switch (status)
    {
    case PD_SUBSCRIPTION_STATUS_ACTIVE:
      return _("Active");
    case PD_SUBSCRIPTION_STATUS_PAUSED:
      return _("Paused");
    case PD_SUBSCRIPTION_STATUS_PAST_DUE:
      return _("Past due");
    case PD_SUBSCRIPTION_STATUS_CANCELED:
      return _("Canceled");
    case PD_SUBSCRIPTION_STATUS_UNKNOWN:
    default:
      return _("Unknown");
    }
}
