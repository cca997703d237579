/* pd-transaction-details.h: everything the ledger knows of one transaction */
#pragma once

#include <gtk/gtk.h>

#include "pd-account-session.h"

G_BEGIN_DECLS

#define PD_TYPE_TRANSACTION_DETAILS (pd_transaction_details_get_type ())

G_DECLARE_FINAL_TYPE (PdTransactionDetails, pd_transaction_details, PD, TRANSACTION_DETAILS, GtkWidget)

GtkWidget        *pd_transaction_details_new             (void);
PdAccountSession *pd_transaction_details_get_session     (PdTransactionDetails *self);
void              pd_transaction_details_set_session     (PdTransactionDetails *self,
                                                          PdAccountSession     *session);
PdTransaction    *pd_transaction_details_get_transaction (PdTransactionDetails *self);
/* Shows @transaction (of the session's account) and reads its timeline and refunds. */
void              pd_transaction_details_set_transaction (PdTransactionDetails *self,
                                                          PdTransaction        *transaction);
/* The timeline shown (PdLedgerEvent, oldest first) and the refunds (PdRefund); NULL until read. */
GListModel       *pd_transaction_details_get_events      (PdTransactionDetails *self);
GListModel       *pd_transaction_details_get_refunds     (PdTransactionDetails *self);

G_END_DECLS
