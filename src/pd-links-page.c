/* pd-links-page.c: the Payment Links page
 *
 * PaysGator only: payment links with their QR code. Until the link form
 * arrives, the page says what it will hold and shows no data.
 */
#define G_LOG_DOMAIN "pd-links-page"

#include "config.h"

#include <adwaita.h>

#include "pd-links-page.h"

struct _PdLinksPage
{
  GtkWidget      parent_instance;

  /* Bound so that disposing the template unparents it. */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (PdLinksPage, pd_links_page, GTK_TYPE_WIDGET)

static void
pd_links_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_LINKS_PAGE);

  G_OBJECT_CLASS (pd_links_page_parent_class)->dispose (object);
}

static void
pd_links_page_class_init (PdLinksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_links_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-links-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdLinksPage, status_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_links_page_init (PdLinksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_links_page_new (void)
{
  return g_object_new (PD_TYPE_LINKS_PAGE, NULL);
}
