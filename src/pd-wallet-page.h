/* pd-wallet-page.h: the Wallet page */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_WALLET_PAGE (pd_wallet_page_get_type ())

G_DECLARE_FINAL_TYPE (PdWalletPage, pd_wallet_page, PD, WALLET_PAGE, GtkWidget)

GtkWidget *pd_wallet_page_new (void);

G_END_DECLS
