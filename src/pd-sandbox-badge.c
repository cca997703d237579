/* pd-sandbox-badge.c: the warning-coloured "SANDBOX" pill
 *
 * Shown wherever a sandbox account is in use, so that nobody takes a
 * payment in the sandbox for real money. The compact form fits a list row;
 * the full form says what it means.
 */
#define G_LOG_DOMAIN "pd-sandbox-badge"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-sandbox-badge.h"

struct _PdSandboxBadge
{
  GtkWidget  parent_instance;

  GtkLabel  *label;

  gboolean   compact;
};

G_DEFINE_FINAL_TYPE (PdSandboxBadge, pd_sandbox_badge, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_label (PdSandboxBadge *self)
{
  /* Translators: a badge on accounts that use the built-in sandbox */
  const char *compact = _("SANDBOX");
  /* Translators: a badge on every page of an account that uses the built-in sandbox */
  const char *full = _("SANDBOX — no real money");

  gtk_label_set_label (self->label, self->compact ? compact : full);
  /* The compact pill is read out in full. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, full,
                                  -1);
}

static void
pd_sandbox_badge_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_SANDBOX_BADGE);

  G_OBJECT_CLASS (pd_sandbox_badge_parent_class)->dispose (object);
}

static void
pd_sandbox_badge_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdSandboxBadge *self = PD_SANDBOX_BADGE (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_badge_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdSandboxBadge *self = PD_SANDBOX_BADGE (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      pd_sandbox_badge_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_badge_class_init (PdSandboxBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_sandbox_badge_dispose;
  object_class->get_property = pd_sandbox_badge_get_property;
  object_class->set_property = pd_sandbox_badge_set_property;

  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-sandbox-badge.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSandboxBadge, label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "sandboxbadge");
}

static void
pd_sandbox_badge_init (PdSandboxBadge *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_label (self);
}

GtkWidget *
pd_sandbox_badge_new (gboolean compact)
{
  return g_object_new (PD_TYPE_SANDBOX_BADGE, "compact", compact, NULL);
}

gboolean
pd_sandbox_badge_get_compact (PdSandboxBadge *self)
{
  g_return_val_if_fail (PD_IS_SANDBOX_BADGE (self), FALSE);

  return self->compact;
}

void
pd_sandbox_badge_set_compact (PdSandboxBadge *self,
                              gboolean        compact)
{
  g_return_if_fail (PD_IS_SANDBOX_BADGE (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}
