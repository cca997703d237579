/* pd-window.h: the main window: accounts, their pages, toasts */
#pragma once

#include <adwaita.h>

#include "pd-account.h"
#include "pd-account-session.h"
#include "pd-application.h"

G_BEGIN_DECLS

/* The pages, as win.show-page names them. */
#define PD_PAGE_TRANSACTIONS  "transactions"
#define PD_PAGE_NEW_PAYMENT   "new-payment"
#define PD_PAGE_PAYMENT_LINKS "payment-links"
#define PD_PAGE_SUBSCRIPTIONS "subscriptions"
#define PD_PAGE_WALLET        "wallet"

#define PD_TYPE_WINDOW (pd_window_get_type ())

G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

PdWindow   *pd_window_new                 (PdApplication *application);
PdAccount  *pd_window_get_account         (PdWindow      *self);
PdAccountSession *pd_window_get_session   (PdWindow      *self);
const char *pd_window_get_visible_page    (PdWindow      *self);
void        pd_window_set_visible_page    (PdWindow      *self,
                                           const char    *page);
gboolean    pd_window_page_is_offered     (PdWindow      *self,
                                           const char    *page);
gboolean    pd_window_gateway_offers_page (PdGateway      gateway,
                                           const char    *page);
void        pd_window_show_toast          (PdWindow      *self,
                                           const char    *message);
void        pd_window_show_error          (PdWindow      *self,
                                           const char    *message,
                                           const char    *detail);

G_END_DECLS
