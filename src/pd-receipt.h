/* pd-receipt.h: the result of a card payment, to read, copy and print */
#pragma once

#include <gtk/gtk.h>

#include "pd-transaction.h"

G_BEGIN_DECLS

#define PD_TYPE_RECEIPT (pd_receipt_get_type ())

G_DECLARE_FINAL_TYPE (PdReceipt, pd_receipt, PD, RECEIPT, GtkWidget)

GtkWidget     *pd_receipt_new              (void);
/* Shows @transaction (kept as given: brand and last four, never more). */
void           pd_receipt_set_transaction  (PdReceipt     *self,
                                            PdTransaction *transaction);
PdTransaction *pd_receipt_get_transaction  (PdReceipt     *self);
/* The account's name, printed at the top. */
void           pd_receipt_set_merchant     (PdReceipt     *self,
                                            const char    *merchant);
/* Marks a sandbox payment, on screen and on paper. */
void           pd_receipt_set_sandbox      (PdReceipt     *self,
                                            gboolean       sandbox);
/* A sentence under the status (why it failed, that it is checked again); NULL for none. */
void           pd_receipt_set_note         (PdReceipt     *self,
                                            const char    *note);
/* The status in words, as shown ("Completed"). */
const char    *pd_receipt_get_status_text  (PdReceipt     *self);
/* The receipt as lines of text: what Print draws. */
char          *pd_receipt_dup_text         (PdReceipt     *self);
/* Prints to a PDF at @path without a dialog. */
gboolean       pd_receipt_export_pdf       (PdReceipt     *self,
                                            const char    *path,
                                            GError       **error);

/* Actions: receipt.copy-reference, receipt.print.
 * Signals:
 *   "new-payment" (PdReceipt *self): the merchant asked for the next payment. */

G_END_DECLS
