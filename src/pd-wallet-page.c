/* pd-wallet-page.c: the Wallet page
 *
 * PaysGator only: the wallet balance. Until the balance view arrives, the
 * page says what it will hold and shows no figure.
 */
#define G_LOG_DOMAIN "pd-wallet-page"

#include "config.h"

#include <adwaita.h>

#include "pd-wallet-page.h"

struct _PdWalletPage
{
  GtkWidget      parent_instance;

  /* Bound so that disposing the template unparents it. */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (PdWalletPage, pd_wallet_page, GTK_TYPE_WIDGET)

static void
pd_wallet_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_WALLET_PAGE);

  G_OBJECT_CLASS (pd_wallet_page_parent_class)->dispose (object);
}

static void
pd_wallet_page_class_init (PdWalletPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_wallet_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-wallet-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWalletPage, status_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_wallet_page_init (PdWalletPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_wallet_page_new (void)
{
  return g_object_new (PD_TYPE_WALLET_PAGE, NULL);
}
