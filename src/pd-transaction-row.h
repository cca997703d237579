/* pd-transaction-row.h: one transaction in the Transactions list, and how transactions read */
#pragma once

#include <gtk/gtk.h>

#include "pd-transaction.h"

G_BEGIN_DECLS

#define PD_TYPE_TRANSACTION_ROW (pd_transaction_row_get_type ())

G_DECLARE_FINAL_TYPE (PdTransactionRow, pd_transaction_row, PD, TRANSACTION_ROW, GtkWidget)

GtkWidget     *pd_transaction_row_new             (void);
PdTransaction *pd_transaction_row_get_transaction (PdTransactionRow *self);
void           pd_transaction_row_set_transaction (PdTransactionRow *self,
                                                   PdTransaction    *transaction);

/* Shared with the details view, so a transaction reads the same everywhere. */
char          *pd_transaction_format_amount       (PdTransaction    *transaction,
                                                   gint64            minor);
char          *pd_transaction_format_card         (PdTransaction    *transaction);
char          *pd_transaction_format_time         (gint64            unix_time);
const char    *pd_transaction_get_title           (PdTransaction    *transaction);
/* Makes @label a status pill: its words and its colour. */
void           pd_transaction_style_status        (GtkLabel         *label,
                                                   PdStatus          status);

G_END_DECLS
