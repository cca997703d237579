/* pd-transactions-page.h: the Transactions page */
#pragma once

#include <gtk/gtk.h>

#include "pd-account-session.h"

G_BEGIN_DECLS

#define PD_TYPE_TRANSACTIONS_PAGE (pd_transactions_page_get_type ())

G_DECLARE_FINAL_TYPE (PdTransactionsPage, pd_transactions_page, PD, TRANSACTIONS_PAGE, GtkWidget)

GtkWidget        *pd_transactions_page_new              (void);
PdAccountSession *pd_transactions_page_get_session      (PdTransactionsPage *self);
/* The open account whose ledger rows the page lists; NULL while none. */
void              pd_transactions_page_set_session      (PdTransactionsPage *self,
                                                         PdAccountSession   *session);
GListModel       *pd_transactions_page_get_transactions (PdTransactionsPage *self);
gint64            pd_transactions_page_get_count        (PdTransactionsPage *self);
gboolean          pd_transactions_page_get_loading      (PdTransactionsPage *self);

G_END_DECLS
