/* pd-settings.c: the app's GSettings, as properties views can bind
 *
 * Every property is bound to the key of the same name, so a change made here
 * is saved at once and a change made elsewhere (dconf-editor, another
 * instance) shows up here. Tests pass a GSettings on the memory backend.
 */
#define G_LOG_DOMAIN "pd-settings"

#include "config.h"

#include "pd-settings.h"

/* The ranges in the schema: a value outside them would be refused by GSettings. */
#define REFRESH_INTERVAL_MIN  15
#define REFRESH_INTERVAL_MAX  3600
#define CARD_IDLE_TIMEOUT_MIN 30
#define CARD_IDLE_TIMEOUT_MAX 900

struct _PdSettings
{
  GObject    parent_instance;

  GSettings *settings;
  int        window_width;
  int        window_height;
  gboolean   window_maximized;
  char      *last_account;
  guint      refresh_interval;
  guint      card_idle_timeout;
};

G_DEFINE_TYPE (PdSettings, pd_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  PROP_LAST_ACCOUNT,
  PROP_REFRESH_INTERVAL,
  PROP_CARD_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pd_settings_constructed (GObject *object)
{
  PdSettings *self = PD_SETTINGS (object);

  G_OBJECT_CLASS (pd_settings_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (PD_SETTINGS_SCHEMA_ID);

  for (guint i = PROP_WINDOW_WIDTH; i < N_PROPS; i++)
    {
      const char *name = g_param_spec_get_name (properties[i]);

      g_settings_bind (self->settings, name, self, name, G_SETTINGS_BIND_DEFAULT);
    }
}

static void
pd_settings_dispose (GObject *object)
{
  PdSettings *self = PD_SETTINGS (object);

  if (self->settings != NULL)
    for (guint i = PROP_WINDOW_WIDTH; i < N_PROPS; i++)
      g_settings_unbind (self, g_param_spec_get_name (properties[i]));
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pd_settings_parent_class)->dispose (object);
}

static void
pd_settings_finalize (GObject *object)
{
  PdSettings *self = PD_SETTINGS (object);

  g_clear_pointer (&self->last_account, g_free);

  G_OBJECT_CLASS (pd_settings_parent_class)->finalize (object);
}

static void
pd_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdSettings *self = PD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_WINDOW_WIDTH:
      g_value_set_int (value, self->window_width);
      break;
    case PROP_WINDOW_HEIGHT:
      g_value_set_int (value, self->window_height);
      break;
    case PROP_WINDOW_MAXIMIZED:
      g_value_set_boolean (value, self->window_maximized);
      break;
    case PROP_LAST_ACCOUNT:
      g_value_set_string (value, self->last_account);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    case PROP_CARD_IDLE_TIMEOUT:
      g_value_set_uint (value, self->card_idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PdSettings *self = PD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_WINDOW_WIDTH:
      pd_settings_set_window_width (self, g_value_get_int (value));
      break;
    case PROP_WINDOW_HEIGHT:
      pd_settings_set_window_height (self, g_value_get_int (value));
      break;
    case PROP_WINDOW_MAXIMIZED:
      pd_settings_set_window_maximized (self, g_value_get_boolean (value));
      break;
    case PROP_LAST_ACCOUNT:
      pd_settings_set_last_account (self, g_value_get_string (value));
      break;
    case PROP_REFRESH_INTERVAL:
      pd_settings_set_refresh_interval (self, g_value_get_uint (value));
      break;
    case PROP_CARD_IDLE_TIMEOUT:
      pd_settings_set_card_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_settings_class_init (PdSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_settings_constructed;
  object_class->dispose = pd_settings_dispose;
  object_class->finalize = pd_settings_finalize;
  object_class->get_property = pd_settings_get_property;
  object_class->set_property = pd_settings_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL,
                      0, G_MAXINT, 1100,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL,
                      0, G_MAXINT, 720,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_ACCOUNT] =
    g_param_spec_string ("last-account", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL,
                       REFRESH_INTERVAL_MIN, REFRESH_INTERVAL_MAX, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CARD_IDLE_TIMEOUT] =
    g_param_spec_uint ("card-idle-timeout", NULL, NULL,
                       CARD_IDLE_TIMEOUT_MIN, CARD_IDLE_TIMEOUT_MAX, 120,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_settings_init (PdSettings *self)
{
  self->window_width = 1100;
  self->window_height = 720;
  self->last_account = g_strdup ("");
  self->refresh_interval = 60;
  self->card_idle_timeout = 120;
}

/**
 * pd_settings_new:
 * @settings: (nullable): a #GSettings for %PD_SETTINGS_SCHEMA_ID, or %NULL
 *   for the user's own
 */
PdSettings *
pd_settings_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PD_TYPE_SETTINGS, "settings", settings, NULL);
}

GSettings *
pd_settings_get_settings (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), NULL);

  return self->settings;
}

int
pd_settings_get_window_width (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), 0);

  return self->window_width;
}

void
pd_settings_set_window_width (PdSettings *self,
                              int         width)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  width = MAX (width, 0);
  if (self->window_width == width)
    return;
  self->window_width = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_WIDTH]);
}

int
pd_settings_get_window_height (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), 0);

  return self->window_height;
}

void
pd_settings_set_window_height (PdSettings *self,
                               int         height)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  height = MAX (height, 0);
  if (self->window_height == height)
    return;
  self->window_height = height;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_HEIGHT]);
}

gboolean
pd_settings_get_window_maximized (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), FALSE);

  return self->window_maximized;
}

void
pd_settings_set_window_maximized (PdSettings *self,
                                  gboolean    maximized)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  maximized = !!maximized;
  if (self->window_maximized == maximized)
    return;
  self->window_maximized = maximized;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_MAXIMIZED]);
}

/**
 * pd_settings_get_last_account:
 * @self: settings
 *
 * Returns: the id of the account selected when Paydesk was last used, or ""
 */
const char *
pd_settings_get_last_account (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), NULL);

  return self->last_account;
}

void
pd_settings_set_last_account (PdSettings *self,
                              const char *account_id)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  if (account_id == NULL)
    account_id = "";
  if (g_strcmp0 (self->last_account, account_id) == 0)
    return;
  g_free (self->last_account);
  self->last_account = g_strdup (account_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ACCOUNT]);
}

guint
pd_settings_get_refresh_interval (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), 0);

  return self->refresh_interval;
}

void
pd_settings_set_refresh_interval (PdSettings *self,
                                  guint       seconds)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  seconds = CLAMP (seconds, REFRESH_INTERVAL_MIN, REFRESH_INTERVAL_MAX);
  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

guint
pd_settings_get_card_idle_timeout (PdSettings *self)
{
  g_return_val_if_fail (PD_IS_SETTINGS (self), 0);

  return self->card_idle_timeout;
}

void
pd_settings_set_card_idle_timeout (PdSettings *self,
                                   guint       seconds)
{
  g_return_if_fail (PD_IS_SETTINGS (self));

  seconds = CLAMP (seconds, CARD_IDLE_TIMEOUT_MIN, CARD_IDLE_TIMEOUT_MAX);
  if (self->card_idle_timeout == seconds)
    return;
  self->card_idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_IDLE_TIMEOUT]);
}
