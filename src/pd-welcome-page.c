/* pd-welcome-page.c: what a first start shows, before any account exists
 *
 * Two ways in: add a real account (Preferences), or explore with the
 * built-in sandbox (app.explore-sandbox). Both are plain actions, so the
 * buttons follow them being enabled or not.
 */
#define G_LOG_DOMAIN "pd-welcome-page"

#include "config.h"

#include <adwaita.h>

#include "pd-welcome-page.h"

struct _PdWelcomePage
{
  GtkWidget      parent_instance;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (PdWelcomePage, pd_welcome_page, GTK_TYPE_WIDGET)

static void
pd_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (pd_welcome_page_parent_class)->dispose (object);
}

static void
pd_welcome_page_class_init (PdWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWelcomePage, status_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_welcome_page_init (PdWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The icon follows the profile: the striped one in development builds. */
  adw_status_page_set_icon_name (self->status_page, APP_ID);
}

GtkWidget *
pd_welcome_page_new (void)
{
  return g_object_new (PD_TYPE_WELCOME_PAGE, NULL);
}
