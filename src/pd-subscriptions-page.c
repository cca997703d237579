/* pd-subscriptions-page.c: the Subscriptions page
 *
 * PaysGator only: subscriptions and their state. Until the list arrives,
 * the page says what it will hold and shows no data.
 */
#define G_LOG_DOMAIN "pd-subscriptions-page"

#include "config.h"

#include <adwaita.h>

#include "pd-subscriptions-page.h"

struct _PdSubscriptionsPage
{
  GtkWidget      parent_instance;

  /* Bound so that disposing the template unparents it. */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (PdSubscriptionsPage, pd_subscriptions_page, GTK_TYPE_WIDGET)

static void
pd_subscriptions_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_SUBSCRIPTIONS_PAGE);

  G_OBJECT_CLASS (pd_subscriptions_page_parent_class)->dispose (object);
}

static void
pd_subscriptions_page_class_init (PdSubscriptionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_subscriptions_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-subscriptions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSubscriptionsPage, status_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_subscriptions_page_init (PdSubscriptionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_subscriptions_page_new (void)
{
  return g_object_new (PD_TYPE_SUBSCRIPTIONS_PAGE, NULL);
}
